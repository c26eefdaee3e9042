using BlazorIot.Server.Dashboard;
using BlazorIot.Server.Ingest;
using BlazorIot.Server.Security;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Dashboard;
using BlazorIot.Tests.Infrastructure;
using Bunit;

namespace BlazorIot.Tests.Notifications.Events;

/// <summary>The sensor settings panel's "Notify when silent for" field, and the card's stale mark following it.</summary>
public sealed class SilenceSettingsTests : DashboardTestContext
{
    private static SensorInfo Sensor(string id) => new(id, null, null, 4, 1, null);

    private async Task SendEveryThreeSecondsAsync(string sensor, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                Host.Time.Advance(TimeSpan.FromSeconds(3));
            }
            await Host.IngestAsync(new ReadingInput(sensor, i));
        }
        await Eventually.TrueAsync(() => Host.Silence.AutomaticLimitOf(sensor) == TimeSpan.FromSeconds(9), "the watch has learned the usual interval");
    }

    [Fact]
    public async Task An_admin_sets_the_limit_in_minutes_sees_the_automatic_value_and_sets_it_back_to_automatic()
    {
        await SendEveryThreeSecondsAsync("s", 4);
        var cut = Render<SensorSettings>(p => p.Add(c => c.Sensor, Sensor("s")));
        var field = cut.Find("[data-testid=silence-minutes]");
        Assert.Equal("", field.GetAttribute("value") ?? "");
        Assert.Equal("now 9 s", field.GetAttribute("placeholder"));
        Assert.Contains("three usual intervals (now 9 s)", cut.Find("#silence-hint").TextContent);

        field.Change("2.5");
        await cut.Find("[data-testid=silence-save]").ClickAsync(new());

        Assert.Equal(TimeSpan.FromSeconds(150), await Host.Store.GetSilenceLimitAsync("s", CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(150), Host.Silence.LimitOf("s"));
        Assert.Equal("Saved.", cut.Find(".saved").TextContent);

        cut.Find("[data-testid=silence-minutes]").Change("");
        await cut.Find("[data-testid=silence-save]").ClickAsync(new());

        Assert.Null(await Host.Store.GetSilenceLimitAsync("s", CancellationToken.None));
        Assert.Null(Host.Silence.LimitOf("s"));
    }

    [Theory]
    [InlineData("0.1")]
    [InlineData("43201")]
    [InlineData("-5")]
    public async Task A_limit_outside_ten_seconds_to_thirty_days_is_refused_and_nothing_is_stored(string minutes)
    {
        await Host.Silence.SetLimitAsync("s", TimeSpan.FromMinutes(5), CancellationToken.None);
        var cut = Render<SensorSettings>(p => p.Add(c => c.Sensor, Sensor("s")));
        Assert.Equal("5", cut.Find("[data-testid=silence-minutes]").GetAttribute("value"));

        cut.Find("[data-testid=silence-minutes]").Change(minutes);
        await cut.Find("[data-testid=silence-save]").ClickAsync(new());

        Assert.Contains("between 10 seconds and 30 days", cut.Find("[data-testid=error-after]").TextContent);
        Assert.Empty(cut.FindAll(".saved"));
        Assert.Equal(TimeSpan.FromMinutes(5), await Host.Store.GetSilenceLimitAsync("s", CancellationToken.None));
    }

    [Fact]
    public async Task A_viewer_reads_the_limit_and_cannot_change_it()
    {
        await SendEveryThreeSecondsAsync("auto", 3);
        await Host.Silence.SetLimitAsync("set", TimeSpan.FromMinutes(90), CancellationToken.None);
        SignInConfigured();
        var user = AddAuthorization();
        user.SetAuthorized("vera");
        user.SetRoles(UserRoles.Viewer);

        var set = Render<SensorSettings>(p => p.Add(c => c.Sensor, Sensor("set")));
        var automatic = Render<SensorSettings>(p => p.Add(c => c.Sensor, Sensor("auto")));

        Assert.Empty(set.FindAll("form, input, button"));
        Assert.Equal("Notify when silent for: 90 min", set.Find("[data-testid=silence-read-only]").TextContent);
        Assert.Equal("Notify when silent for: automatic, three usual intervals (now 9 s)", automatic.Find("[data-testid=silence-read-only]").TextContent);
    }

    [Fact]
    public async Task The_cards_stale_mark_follows_the_sensors_own_limit()
    {
        await SendEveryThreeSecondsAsync("t", 4);
        await Host.Silence.SetLimitAsync("t", TimeSpan.FromMinutes(1), CancellationToken.None);
        var cut = Render<SensorCard>(p => p.Add(c => c.Sensor, new SensorInfo("t", "Door", null, 0, null, null)));
        cut.WaitForAssertion(() => Assert.Equal("4", cut.Find("[data-testid=rate]").TextContent));

        // Three usual intervals (9 s) would make it stale by now; its own minute does not.
        Host.Time.Advance(TimeSpan.FromSeconds(30));
        await cut.InvokeAsync(cut.Instance.Refresh);
        Assert.Empty(cut.FindAll("[data-testid=stale]"));

        Host.Time.Advance(TimeSpan.FromSeconds(31));
        await cut.InvokeAsync(cut.Instance.Refresh);
        Assert.NotNull(cut.Find("[data-testid=stale]"));

        await Host.Silence.SetLimitAsync("t", TimeSpan.FromMinutes(5), CancellationToken.None);
        await cut.InvokeAsync(cut.Instance.Refresh);
        Assert.Empty(cut.FindAll("[data-testid=stale]"));
    }
}
