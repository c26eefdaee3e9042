using BlazorIot.Server.Dashboard;
using BlazorIot.Server.Security;
using BlazorIot.Shared.Readings;
using Bunit;

namespace BlazorIot.Tests.Dashboard;

public sealed class ThresholdEditorTests : DashboardTestContext
{
    [Fact]
    public async Task Saves_valid_thresholds_and_refuses_a_low_above_the_high()
    {
        Thresholds? saved = null;
        await Host.Alerts.SetThresholdsAsync("t", new Thresholds(1, 2, 0), CancellationToken.None);
        var cut = Render<ThresholdEditor>(p => p.Add(c => c.Sensor, "t").Add(c => c.Saved, (Thresholds t) => saved = t));
        Assert.Equal("1", cut.Find("[data-testid=threshold-low]").GetAttribute("value"));

        cut.Find("[data-testid=threshold-low]").Change("50");
        cut.Find("[data-testid=threshold-high]").Change("40");
        await cut.Find("form").SubmitAsync();
        Assert.Equal("Low must be below high.", cut.Find("[role=status]").TextContent);
        Assert.Null(saved);
        Assert.Equal(new Thresholds(1, 2, 0), Host.Alerts.ThresholdsOf("t"));

        cut.Find("[data-testid=threshold-low]").Change("");
        cut.Find("[data-testid=threshold-high]").Change("40");
        cut.Find("[data-testid=threshold-hysteresis]").Change("2");
        await cut.Find("form").SubmitAsync();

        Assert.Equal(new Thresholds(null, 40, 2), saved);
        Assert.Equal(new Thresholds(null, 40, 2), Host.Alerts.ThresholdsOf("t"));
        Assert.Equal("Saved.", cut.Find("[role=status]").TextContent);
    }

    [Fact]
    public async Task A_signed_in_viewer_sees_the_thresholds_without_any_control_to_change_them()
    {
        SignInConfigured();
        var user = AddAuthorization();
        user.SetAuthorized("vera");
        user.SetRoles(UserRoles.Viewer);
        await Host.Alerts.SetThresholdsAsync("t", new Thresholds(1.5, null, 0.5), CancellationToken.None);

        var cut = Render<ThresholdEditor>(p => p.Add(c => c.Sensor, "t"));

        Assert.Empty(cut.FindAll("form, input, button"));
        Assert.Equal("1.5", cut.Find("[data-testid=threshold-low-value]").TextContent);
        Assert.Equal("none", cut.Find("[data-testid=threshold-high-value]").TextContent);
        Assert.Equal("0.5", cut.Find("[data-testid=threshold-hysteresis-value]").TextContent);
        Assert.Equal("Only an admin may change thresholds.", cut.Find("[data-testid=thresholds-admin-only]").TextContent);
    }

    [Fact]
    public async Task A_signed_in_admin_changes_them()
    {
        SignInConfigured();
        var user = AddAuthorization();
        user.SetAuthorized("ada");
        user.SetRoles(UserRoles.Admin);
        var cut = Render<ThresholdEditor>(p => p.Add(c => c.Sensor, "t"));

        cut.Find("[data-testid=threshold-high]").Change("40");
        await cut.Find("form").SubmitAsync();

        Assert.Equal(new Thresholds(null, 40, 0), Host.Alerts.ThresholdsOf("t"));
        Assert.Empty(cut.FindAll("[data-testid=thresholds-read-only]"));
    }

    [Fact]
    public async Task Without_sign_in_an_admin_key_makes_them_read_only_for_every_visitor()
    {
        await Host.AddAdminKeyAsync("ops");

        var cut = Render<ThresholdEditor>(p => p.Add(c => c.Sensor, "t"));

        Assert.Empty(cut.FindAll("form, input, button"));
        Assert.Contains("admin device key", cut.Find("[data-testid=thresholds-admin-only]").TextContent);
    }

    [Fact]
    public async Task An_editor_opened_on_an_open_server_saves_nothing_once_an_admin_key_closes_it()
    {
        var cut = Render<ThresholdEditor>(p => p.Add(c => c.Sensor, "t"));
        cut.Find("[data-testid=threshold-high]").Change("40");

        await Host.AddAdminKeyAsync("ops");
        await cut.Find("form").SubmitAsync();

        Assert.True(Host.Alerts.ThresholdsOf("t").IsEmpty);
        Assert.Empty(cut.FindAll("form"));
        Assert.Equal("none", cut.Find("[data-testid=threshold-high-value]").TextContent);
    }
}
