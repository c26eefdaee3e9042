using BlazorIot.Server.Dashboard;
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
}
