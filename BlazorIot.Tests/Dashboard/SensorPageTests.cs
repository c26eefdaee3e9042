using BlazorIot.Server.Dashboard.Pages;
using BlazorIot.Server.Ingest;
using BlazorIot.Server.Security;
using BlazorIot.Shared.Charts;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorIot.Tests.Dashboard;

public sealed class SensorPageTests : DashboardTestContext
{

    [Fact]
    public async Task A_long_range_is_drawn_as_a_min_max_band_with_the_average_and_the_table_lists_its_buckets()
    {
        var now = Host.Time.GetUtcNow();
        var history = Enumerable.Range(0, 48).Select(i => new ReadingInput("s", i % 2 == 0 ? 10 : 20, now.AddMinutes((-30 * i) - 1))).ToArray();
        await Host.IngestAsync(history);
        var cut = Render<SensorPage>(p => p.Add(c => c.Id, "s"));

        cut.Find("[data-range='24h']").Click();

        cut.WaitForAssertion(() => Assert.Single(Chart.Invocations["replaceSeries"]));
        var series = ChartCalls.Series(Chart.Invocations["replaceSeries"][0]);
        Assert.Equal([SeriesKind.BandLow, SeriesKind.BandHigh, SeriesKind.Line], series.Select(s => s.Kind));
        Assert.Equal(series[0].Points.Count, series[2].Points.Count);
        Assert.Equal(48, series[0].Points.Count);
        Assert.Contains("buckets of 2 min", cut.Find("[data-testid=range-note]").TextContent);
        Assert.Contains("format=csv", cut.Find("[data-testid=csv]").GetAttribute("href"));
        cut.Find("[data-testid=table-toggle]").Click();
        Assert.Equal(["Time", "Min", "Avg", "Max", "Count"], cut.FindAll("[data-testid=data-table] th").Select(th => th.TextContent));
    }

    [Fact]
    public async Task Thresholds_saved_in_the_page_are_drawn_on_its_chart()
    {
        await Host.IngestAsync(new ReadingInput("s", 12));
        var cut = Render<SensorPage>(p => p.Add(c => c.Id, "s"));
        cut.WaitForAssertion(() => Assert.Single(Chart.Invocations["createChart"]));

        cut.Find("[data-testid=threshold-high]").Change("30");
        await cut.Find("form").SubmitAsync();

        cut.WaitForAssertion(() => Assert.Equal(new ChartThresholds(null, 30), ChartCalls.Thresholds(Assert.Single(Chart.Invocations["setThresholds"]))));
    }

    [Fact]
    public async Task A_signed_in_viewer_sees_the_pages_thresholds_read_only()
    {
        Services.AddSingleton(new AdminAccess(Host.Gate, Options.Create(new ViewerOptions { Password = "owner's" })));
        AddAuthorization().SetAuthorized("vera");
        await Host.Alerts.SetThresholdsAsync("s", new Thresholds(null, 30, 0), CancellationToken.None);
        await Host.IngestAsync(new ReadingInput("s", 12));

        var cut = Render<SensorPage>(p => p.Add(c => c.Id, "s"));

        Assert.Equal("30", cut.Find("[data-testid=threshold-high-value]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=threshold-save], [data-testid=threshold-high]"));
    }

    [Fact]
    public async Task Pause_stops_live_updates_and_resume_catches_up()
    {
        await Host.IngestAsync(new ReadingInput("s", 1));
        var cut = Render<SensorPage>(p => p.Add(c => c.Id, "s"));
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=value]").TextContent));

        // The live feed renders on the pool: the click may queue behind it, so wait for its effect.
        cut.Find("[data-testid=pause]").Click();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=pause]").GetAttribute("aria-pressed")));
        Host.Time.Advance(TimeSpan.FromSeconds(1));
        await Host.IngestAsync(new ReadingInput("s", 2));
        Host.Time.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=value]").TextContent));
        Assert.Null(cut.LastAppended());

        cut.Find("[data-testid=pause]").Click();

        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("[data-testid=pause]").GetAttribute("aria-pressed")));
        await Eventually.TrueAsync(() => Chart.Invocations["replaceSeries"].Count > 0, "resuming reloads the chart");
        var resumed = ChartCalls.Series(Chart.Invocations["replaceSeries"][^1]);
        Assert.Equal([1.0, 2.0], resumed[0].Points.Select(p => p.Y));
        Host.Time.Advance(TimeSpan.FromSeconds(1));
        await Host.IngestAsync(new ReadingInput("s", 3));
        cut.WaitForAssertion(() => Assert.Equal([3.0], cut.LastAppended()?.Points.Select(p => p.Y)));
        Assert.Equal(1, cut.LastAppended()!.Generation);
    }

    [Fact]
    public void An_unknown_sensor_says_so()
    {
        var cut = Render<SensorPage>(p => p.Add(c => c.Id, "nobody"));

        Assert.Equal("No such sensor", cut.Find("h1").TextContent);
    }
}
