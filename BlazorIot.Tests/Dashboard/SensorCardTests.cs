using BlazorIot.Server.Dashboard;
using BlazorIot.Server.Ingest;
using BlazorIot.Shared.Charts;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using Bunit;

namespace BlazorIot.Tests.Dashboard;

public sealed class SensorCardTests : DashboardTestContext
{

    private IRenderedComponent<SensorCard> RenderCard(string id = "t", string? unit = "°C") =>
        Render<SensorCard>(p => p.Add(c => c.Sensor, new SensorInfo(id, "Greenhouse", unit, 0, null, null)));

    [Fact]
    public async Task Summarises_the_points_shown_and_coalesces_bursts_into_one_chart_update()
    {
        var cut = RenderCard();
        Assert.Equal("no reading yet", cut.Find(".no-data").TextContent);

        await Host.IngestAsync(new ReadingInput("t", 10));
        cut.WaitForAssertion(() => Assert.Equal(1, cut.LastAppended()?.Generation));
        Assert.Equal([10.0], cut.LastAppended()!.Points.Select(p => p.Y));
        // Four readings within the same 100 ms: one update when the interval has passed.
        await Host.IngestAsync(new ReadingInput("t", 20), new ReadingInput("t", 30));
        await Host.IngestAsync(new ReadingInput("t", 40), new ReadingInput("t", 0));
        Assert.Equal(1, cut.LastAppended()!.Generation);
        Host.Time.Advance(TimeSpan.FromMilliseconds(100));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.LastAppended()?.Generation));
        Assert.Equal([20.0, 30, 40, 0], cut.LastAppended()!.Points.Select(p => p.Y));
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-testid=value]").TextContent));
        Assert.Equal("0", cut.Find("[data-testid=min]").TextContent);
        Assert.Equal("40", cut.Find("[data-testid=max]").TextContent);
        Assert.Equal("20", cut.Find("[data-testid=avg]").TextContent);
        Assert.Equal("5", cut.Find("[data-testid=rate]").TextContent);
        Assert.Contains("°C", cut.Find(".unit").TextContent);
    }

    [Fact]
    public async Task Turns_stale_after_three_usual_intervals_of_silence()
    {
        var cut = RenderCard();
        foreach (var _ in Enumerable.Range(0, 4))
        {
            await Host.IngestAsync(new ReadingInput("t", 1));
            Host.Time.Advance(TimeSpan.FromSeconds(3));
        }
        cut.WaitForAssertion(() => Assert.Equal("4", cut.Find("[data-testid=rate]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=stale]"));

        Host.Time.Advance(TimeSpan.FromSeconds(7));
        await cut.InvokeAsync(cut.Instance.Refresh);

        Assert.NotNull(cut.Find("[data-testid=stale]"));
        Assert.Contains("stale", cut.Find("article").ClassList);
    }

    [Fact]
    public async Task Redraws_its_limit_lines_when_the_sensors_thresholds_change()
    {
        var cut = RenderCard();
        cut.WaitForAssertion(() => Assert.Single(Chart.Invocations["createChart"]));
        Assert.Null(ChartCalls.Setup(Chart.Invocations["createChart"][0]).Thresholds);

        await Host.Alerts.SetThresholdsAsync("t", new Thresholds(5, 30, 1), CancellationToken.None);

        cut.WaitForAssertion(() => Assert.Equal(new ChartThresholds(5, 30), ChartCalls.Thresholds(Assert.Single(Chart.Invocations["setThresholds"]))));
    }

    [Fact]
    public async Task Shows_the_alert_while_a_threshold_is_crossed()
    {
        await Host.Alerts.SetThresholdsAsync("t", new Thresholds(null, 30, 1), CancellationToken.None);
        var cut = RenderCard();

        await Host.IngestAsync(new ReadingInput("t", 31.5));
        cut.WaitForAssertion(() => Assert.Equal("above 30 °C since 18:02:01", cut.Find("[data-testid=alert]").TextContent));
        Assert.Contains("alerting", cut.Find("article").ClassList);

        Host.Time.Advance(TimeSpan.FromMilliseconds(200));
        await Host.IngestAsync(new ReadingInput("t", 28));
        Host.Time.Advance(TimeSpan.FromMilliseconds(200));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=alert]")));
    }

    [Fact]
    public void Shows_each_new_reading_once_in_order_when_the_window_replay_overlaps_the_live_feed()
    {
        Reading At(long sequence) => new(sequence, "t", sequence, DateTimeOffset.UnixEpoch.AddSeconds(sequence));

        var fresh = SensorCard.Fresh([At(4), At(1), At(2), At(3), At(2), At(5)], lastShown: 1);

        Assert.Equal([2L, 3, 4, 5], fresh.Select(r => r.Sequence));
        Assert.Equal([6L, 7], SensorCard.Fresh([At(6), At(7)], lastShown: 5).Select(r => r.Sequence));
    }
}
