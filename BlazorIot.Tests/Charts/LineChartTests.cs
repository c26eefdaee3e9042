using System.Text.Json;
using BlazorIot.Shared.Charts;
using BlazorIot.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;

namespace BlazorIot.Tests.Charts;

public sealed class LineChartTests : BunitContext
{
    private readonly BunitJSModuleInterop module;
    private readonly RecordingJSRuntime js;

    public LineChartTests()
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
        module = JSInterop.SetupModule(LineChart.ModulePath);
        module.SetupVoid("createChart", _ => true).SetVoidResult();
        module.SetupVoid("destroyChart", _ => true).SetVoidResult();
        js = new RecordingJSRuntime(JSInterop.JSRuntime);
        Services.AddSingleton<IJSRuntime>(js);
    }

    [Fact]
    public void Imports_its_module_and_creates_the_chart_on_its_canvas_with_the_initial_window()
    {
        ChartPoint[] points = [new(1_000, 4), new(2_000, -2)];

        var cut = Render<LineChart>(p => p.Add(c => c.Label, "luminosity").Add(c => c.Points, points).Add(c => c.Capacity, 10));

        var create = module.VerifyInvoke("createChart");
        var canvas = Assert.IsType<ElementReference>(create.Arguments[0]);
        Assert.Equal(cut.Find("canvas").GetAttribute("blazor:elementReference"), canvas.Id);
        var setup = ChartCalls.Setup(create);
        var series = Assert.Single(setup.Series);
        Assert.Equal("luminosity", series.Label);
        Assert.Equal(10, setup.Capacity);
        Assert.Equal(points, series.Points);
        Assert.Equal("luminosity", cut.Find("canvas").GetAttribute("aria-label"));
    }

    [Fact]
    public async Task Carries_only_new_points_trimmed_to_its_capacity_in_its_next_render()
    {
        var cut = Render<LineChart>(p => p.Add(c => c.Label, "luminosity").Add(c => c.Points, [new ChartPoint(1_000, 1)]).Add(c => c.Capacity, 3));
        Assert.Null(cut.LastAppended());

        await cut.InvokeAsync(() => cut.Instance.Append([new(2_000, 2)]));
        cut.WaitForAssertion(() => Assert.Equal(1, cut.LastAppended()?.Generation));
        Assert.Equal([new ChartPoint(2_000, 2)], cut.LastAppended()!.Points);

        await cut.InvokeAsync(() => cut.Instance.Append([new(3_000, 3), new(4_000, 4), new(5_000, 5), new(6_000, 6)]));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.LastAppended()?.Generation));
        Assert.Equal([new ChartPoint(4_000, 4), new ChartPoint(5_000, 5), new ChartPoint(6_000, 6)], cut.LastAppended()!.Points);
        Assert.Single(module.Invocations["createChart"]);
    }

    [Fact]
    public async Task Appends_in_one_turn_go_out_together_in_one_render()
    {
        var cut = Render<LineChart>(p => p.Add(c => c.Series, [new ChartSeries("a", "#000", []), new ChartSeries("b", "#111", [])]).Add(c => c.Capacity, 10));
        var renders = cut.RenderCount;

        await cut.InvokeAsync(() =>
        {
            cut.Instance.Append([new(1_000, 1)]);
            cut.Instance.Append(1, [new(1_000, 10)]);
            cut.Instance.Append([new(2_000, 2)]);
        });

        cut.WaitForAssertion(() => Assert.Equal(1, cut.LastAppended()?.Generation));
        Assert.Equal(renders + 1, cut.RenderCount);
        Assert.Equal([new ChartPoint(1_000, 1), new ChartPoint(2_000, 2)], cut.LastAppended()!.Series[0]);
        Assert.Equal([new ChartPoint(1_000, 10)], cut.LastAppended()!.Series[1]);
    }

    [Fact]
    public async Task Points_appended_while_the_chart_is_created_follow_once_it_exists()
    {
        var creating = module.SetupVoid("createChart", _ => true);
        var cut = Render<LineChart>(p => p.Add(c => c.Label, "luminosity").Add(c => c.Capacity, 2));

        await cut.InvokeAsync(() => cut.Instance.Append([new(1_000, 1), new(2_000, 2)]));
        await cut.InvokeAsync(() => cut.Instance.Append([new(3_000, 3)]));
        Assert.Null(cut.LastAppended());

        await cut.InvokeAsync(creating.SetVoidResult);

        // Generous: the chart's creation and its render can take more than bUnit's default second on a loaded machine.
        cut.WaitForAssertion(() => Assert.Equal(1, cut.LastAppended()?.Generation), Eventually.DefaultTimeout);
        Assert.Equal([new ChartPoint(2_000, 2), new ChartPoint(3_000, 3)], cut.LastAppended()!.Points);
    }

    [Fact]
    public async Task The_caller_may_reuse_its_list_once_it_has_appended()
    {
        var cut = Render<LineChart>(p => p.Add(c => c.Label, "luminosity"));
        List<ChartPoint> points = [new(1_000, 1)];

        await cut.InvokeAsync(() =>
        {
            cut.Instance.Append(points);
            points[0] = new(9_000, 9);
        });

        cut.WaitForAssertion(() => Assert.Equal([new ChartPoint(1_000, 1)], cut.LastAppended()?.Points ?? []));
    }

    [Fact]
    public void New_points_passed_by_the_owner_go_out_in_that_render_once_and_no_render_of_its_own_follows()
    {
        ChartPoint[] atStart = [new(1_000, 1)];
        var cut = Render<LineChart>(p => p.Add(c => c.Label, "luminosity").Add(c => c.NewPoints, atStart).Add(c => c.Capacity, 2));
        var renders = cut.RenderCount;
        Assert.Null(cut.LastAppended());

        ChartPoint[] fresh = [new(2_000, 2), new(3_000, 3), new(4_000, 4)];
        cut.Render(p => p.Add(c => c.NewPoints, fresh));

        Assert.Equal(renders + 1, cut.RenderCount);
        Assert.Equal(1, cut.LastAppended()?.Generation);
        Assert.Equal([new ChartPoint(3_000, 3), new ChartPoint(4_000, 4)], cut.LastAppended()!.Points);

        // The owner renders again for something else, passing the same list: nothing new goes out.
        cut.Render(p => p.Add(c => c.NewPoints, fresh).Add(c => c.Height, "12rem"));
        Assert.Equal(renders + 2, cut.RenderCount);
        Assert.Equal(1, cut.LastAppended()?.Generation);
    }

    [Fact]
    public async Task New_points_passed_before_the_chart_exists_follow_once_it_does()
    {
        var creating = module.SetupVoid("createChart", _ => true);
        var cut = Render<LineChart>(p => p.Add(c => c.Label, "luminosity"));

        cut.Render(p => p.Add(c => c.NewPoints, [new ChartPoint(1_000, 1)]));
        Assert.Null(cut.LastAppended());

        await cut.InvokeAsync(creating.SetVoidResult);

        cut.WaitForAssertion(() => Assert.Equal([new ChartPoint(1_000, 1)], cut.LastAppended()?.Points ?? []));
    }

    [Fact]
    public void Renders_again_only_when_its_size_or_text_alternative_changes()
    {
        var cut = Render<LineChart>(p => p.Add(c => c.Label, "luminosity").Add(c => c.Points, [new ChartPoint(1_000, 1)]).Add(c => c.Height, "9rem"));
        var renders = cut.RenderCount;

        // A live card passes its points again on every reading; the chart takes new ones through Append.
        cut.Render(p => p.Add(c => c.Points, [new ChartPoint(1_000, 1), new ChartPoint(2_000, 2)]));
        Assert.Equal(renders, cut.RenderCount);

        cut.Render(p => p.Add(c => c.Height, "12rem").Add(c => c.Description, "Greenhouse, live"));
        Assert.Equal(renders + 1, cut.RenderCount);
        Assert.Contains("height: 12rem", cut.Find(".line-chart").GetAttribute("style"));
        Assert.Equal("Greenhouse, live", cut.Find("canvas").GetAttribute("aria-label"));
    }

    [Fact]
    public void Redraws_its_limit_lines_when_a_render_passes_different_ones()
    {
        module.SetupVoid("setThresholds", _ => true).SetVoidResult();
        var cut = Render<LineChart>(p => p.Add(c => c.Label, "t").Add(c => c.Thresholds, new ChartThresholds(1, 9)));

        cut.Render(p => p.Add(c => c.Thresholds, new ChartThresholds(1, 9)));
        Assert.Empty(module.Invocations["setThresholds"]);

        cut.Render(p => p.Add(c => c.Thresholds, new ChartThresholds(2, null)));
        cut.Render(p => p.Add(c => c.Thresholds, null));

        Assert.Equal([new ChartThresholds(2, null), null], module.Invocations["setThresholds"].Select(ChartCalls.Thresholds));
        Assert.Equal(new ChartThresholds(1, 9), ChartCalls.Setup(module.VerifyInvoke("createChart")).Thresholds);
    }

    [Fact]
    public async Task Replaces_its_series_and_draws_threshold_lines_on_request()
    {
        module.SetupVoid("replaceSeries", _ => true).SetVoidResult();
        module.SetupVoid("setThresholds", _ => true).SetVoidResult();
        var cut = Render<LineChart>(p => p.Add(c => c.Series, [new ChartSeries("a", "#000", [])]).Add(c => c.Thresholds, new ChartThresholds(1, 9)));
        ChartSeries[] band =
        [
            new("min", "#000", [new(1, 1)]) { Kind = SeriesKind.BandLow },
            new("max", "#000", [new(1, 3)]) { Kind = SeriesKind.BandHigh },
            new("avg", "#000", [new(1, 2)]),
        ];

        await cut.InvokeAsync(() => cut.Instance.ReplaceAsync(band, 500));
        await cut.InvokeAsync(() => cut.Instance.SetThresholdsAsync(new ChartThresholds(null, 4)));
        await cut.InvokeAsync(() => cut.Instance.Append(2, [new ChartPoint(2, 5)]));

        var created = ChartCalls.Setup(module.VerifyInvoke("createChart"));
        Assert.Equal(new ChartThresholds(1, 9), created.Thresholds);
        var replaced = module.VerifyInvoke("replaceSeries");
        Assert.Equal(JsonSerializer.Serialize(band), JsonSerializer.Serialize(ChartCalls.Series(replaced)));
        Assert.Equal(500, replaced.Arguments[2]);
        Assert.Equal(new ChartThresholds(null, 4), ChartCalls.Thresholds(module.VerifyInvoke("setThresholds")));
        cut.WaitForAssertion(() => Assert.Equal([new ChartPoint(2, 5)], cut.LastAppended()?.Series[2] ?? []));
    }

    [Fact]
    public async Task Points_not_yet_rendered_when_the_series_are_replaced_are_dropped_with_them()
    {
        module.SetupVoid("replaceSeries", _ => true).SetVoidResult();
        var cut = Render<LineChart>(p => p.Add(c => c.Label, "luminosity"));

        await cut.InvokeAsync(() =>
        {
            cut.Instance.Append([new(1_000, 1)]);
            return cut.Instance.ReplaceAsync([new ChartSeries("week", "#000", [new(5_000, 5)])]);
        });
        await cut.InvokeAsync(() => cut.Instance.Append([new(6_000, 6)]));

        cut.WaitForAssertion(() => Assert.Equal(1, cut.LastAppended()?.Generation));
        Assert.Equal([new ChartPoint(6_000, 6)], cut.LastAppended()!.Points);
    }

    [Fact]
    public async Task Disposing_destroys_the_chart_and_disposes_the_module()
    {
        Render<LineChart>(p => p.Add(c => c.Label, "luminosity"));

        await DisposeComponentsAsync();

        module.VerifyInvoke("destroyChart");
        Assert.True(Assert.Single(js.Modules).Disposed);
    }

    [Fact]
    public async Task Disposing_while_the_chart_is_created_destroys_it_once_created()
    {
        var creating = module.SetupVoid("createChart", _ => true);
        Render<LineChart>(p => p.Add(c => c.Label, "luminosity"));
        var create = module.VerifyInvoke("createChart");

        await DisposeComponentsAsync();
        Assert.Empty(module.Invocations["destroyChart"]);
        await Renderer.Dispatcher.InvokeAsync(creating.SetVoidResult);

        await Eventually.TrueAsync(() => module.Invocations["destroyChart"].Count > 0, "the chart created after disposing is destroyed");
        // The canvas has left the page by then, so the chart is found by the key it was created under.
        var destroy = module.VerifyInvoke("destroyChart");
        Assert.Equal(Assert.IsType<string>(create.Arguments[2]), destroy.Arguments[1]);
        Assert.True(Assert.Single(js.Modules).Disposed);
    }

    [Fact]
    public async Task Disposing_after_the_browser_left_does_not_throw()
    {
        module.SetupVoid("destroyChart", _ => true).SetException(new JSDisconnectedException("circuit gone"));
        Render<LineChart>(p => p.Add(c => c.Label, "luminosity"));

        await DisposeComponentsAsync();

        module.VerifyInvoke("destroyChart");
    }
}
