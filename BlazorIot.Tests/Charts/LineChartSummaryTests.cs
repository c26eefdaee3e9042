using BlazorIot.Shared.Charts;
using BlazorIot.Tests.Infrastructure;
using Bunit;

namespace BlazorIot.Tests.Charts;

/// <summary>What a screen reader hears for a chart: its summary in words, kept up to date as points come and go.</summary>
/// <remarks>Waits are generous: on a loaded machine a render after an append can take more than bUnit's default second.</remarks>
public sealed class LineChartSummaryTests : BunitContext
{
    private readonly BunitJSModuleInterop module;

    public LineChartSummaryTests()
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
        module = JSInterop.SetupModule(LineChart.ModulePath);
        module.SetupVoid("createChart", _ => true).SetVoidResult();
        module.SetupVoid("destroyChart", _ => true).SetVoidResult();
        module.SetupVoid("replaceSeries", _ => true).SetVoidResult();
    }

    private static string Summary(IRenderedComponent<LineChart> cut) => cut.Find("[data-testid=chart-summary]").TextContent;

    [Fact]
    public void The_canvas_is_described_by_a_hidden_summary_that_is_not_a_live_region()
    {
        var cut = Render<LineChart>(p => p.Add(c => c.Label, "Greenhouse").Add(c => c.YTitle, "°C")
            .Add(c => c.Points, [new ChartPoint(0, 20), new ChartPoint(60_000, 22.5)]));

        var summary = cut.Find("[data-testid=chart-summary]");
        Assert.Equal(summary.Id, cut.Find("canvas").GetAttribute("aria-describedby"));
        Assert.Equal("img", cut.Find("canvas").GetAttribute("role"));
        Assert.Contains("visually-hidden", summary.ClassList);
        Assert.Null(summary.GetAttribute("aria-live"));
        Assert.Equal("Greenhouse: latest 22.5 °C, range 20 to 22.5 °C over 1 min (2 points).", summary.TextContent);
    }

    [Fact]
    public async Task Appended_points_update_the_latest_value_and_the_range_and_the_window_moving_drops_the_old_extremes()
    {
        var cut = Render<LineChart>(p => p.Add(c => c.Label, "Greenhouse").Add(c => c.YTitle, "°C").Add(c => c.Capacity, 3)
            .Add(c => c.Points, [new ChartPoint(0, 20), new ChartPoint(60_000, 22)]));

        await cut.InvokeAsync(() => cut.Instance.Append([new(120_000, 25)]));
        cut.WaitForAssertion(() => Assert.Equal("Greenhouse: latest 25 °C, range 20 to 25 °C over 2 min (3 points).", Summary(cut)), Eventually.DefaultTimeout);

        // The point at 0 s (the lowest) leaves the window of three.
        await cut.InvokeAsync(() => cut.Instance.Append([new(185_000, 21)]));
        cut.WaitForAssertion(() => Assert.Equal("Greenhouse: latest 21 °C, range 21 to 25 °C over 2 min 5 s (3 points).", Summary(cut)), Eventually.DefaultTimeout);

        // The highest leaves too, in a burst larger than the window.
        await cut.InvokeAsync(() => cut.Instance.Append([new(190_000, 1), new(200_000, 2), new(3_800_000, 3), new(3_900_000, -4)]));
        cut.WaitForAssertion(() => Assert.Equal("Greenhouse: latest -4 °C, range -4 to 3 °C over 1 h 1 min (3 points).", Summary(cut)), Eventually.DefaultTimeout);
    }

    [Fact]
    public void Points_the_owner_passes_on_each_render_update_the_summary_in_that_render()
    {
        var cut = Render<LineChart>(p => p.Add(c => c.Label, "light").Add(c => c.Capacity, 2).Add(c => c.Points, [new ChartPoint(1_000, 400)]));
        Assert.Equal("light: latest 400, one point.", Summary(cut));

        cut.Render(p => p.Add(c => c.NewPoints, [new ChartPoint(11_000, 380)]));
        Assert.Equal("light: latest 380, range 380 to 400 over 10 s (2 points).", Summary(cut));

        cut.Render(p => p.Add(c => c.NewPoints, [new ChartPoint(12_000, 390)]));
        Assert.Equal("light: latest 390, range 380 to 390 over 1 s (2 points).", Summary(cut));
    }

    [Fact]
    public void A_late_reading_takes_its_place_in_time_so_the_latest_stays_the_newest()
    {
        var cut = Render<LineChart>(p => p.Add(c => c.Label, "light").Add(c => c.Capacity, 3).Add(c => c.Points, [new ChartPoint(10_000, 1), new ChartPoint(20_000, 2)]));

        cut.Render(p => p.Add(c => c.NewPoints, [new ChartPoint(5_000, 9), new ChartPoint(30_000, 3)]));

        // Sorted, the late point is the oldest of four and drops out, as in the drawn chart.
        Assert.Equal("light: latest 3, range 1 to 3 over 20 s (3 points).", Summary(cut));
    }

    [Fact]
    public async Task Replaced_series_are_each_described_with_the_unit_of_their_axis()
    {
        var cut = Render<LineChart>(p => p.Add(c => c.Series, []).Add(c => c.YTitle, "°C").Add(c => c.Y2Title, "lx"));
        Assert.Equal("No data shown.", Summary(cut));

        await cut.InvokeAsync(() => cut.Instance.ReplaceAsync(
        [
            new ChartSeries("Greenhouse", "#000", [new(0, 18), new(86_400_000 + 7_200_000, 24)]),
            new ChartSeries("Light", "#111", [new(0, 300)]) { SecondAxis = true },
            new ChartSeries("Cellar", "#222", []),
        ]));

        cut.WaitForAssertion(() => Assert.Equal(
            "Greenhouse: latest 24 °C, range 18 to 24 °C over 1 d 2 h (2 points). Light: latest 300 lx, one point. Cellar: no data.",
            Summary(cut)), Eventually.DefaultTimeout);
    }

    [Fact]
    public void A_unit_given_apart_from_the_axis_title_is_read_with_the_values()
    {
        var cut = Render<LineChart>(p => p.Add(c => c.Label, "light").Add(c => c.Unit, "lx").Add(c => c.Points, [new ChartPoint(0, 5)]));
        Assert.Equal("light: latest 5 lx, one point.", Summary(cut));

        cut.Render(p => p.Add(c => c.Unit, "klx"));
        Assert.Equal("light: latest 5 klx, one point.", Summary(cut));
    }

    [Fact]
    public void A_renamed_single_series_is_described_by_its_new_name()
    {
        var cut = Render<LineChart>(p => p.Add(c => c.Label, "tmep").Add(c => c.Points, [new ChartPoint(0, 5)]));

        cut.Render(p => p.Add(c => c.Label, "Greenhouse"));

        Assert.Equal("Greenhouse: latest 5, one point.", Summary(cut));
    }
}
