using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace BlazorIot.Shared.Charts;

/// <summary>
/// A Chart.js line chart on a time axis, for live and historical data. The chart is created once
/// with <see cref="Series"/> (or the single series <see cref="Label"/> + <see cref="Points"/>);
/// afterwards the owner sends only changes: <see cref="NewPoints"/> (or
/// <see cref="Append(IReadOnlyList{ChartPoint})"/>) for new live points, <see cref="ReplaceAsync"/> when the shown range changes,
/// a changed <see cref="Thresholds"/> (or <see cref="SetThresholdsAsync"/>) for limit lines. The page must load Chart.js (UMD build)
/// first, and chartjs-plugin-zoom for <see cref="Zoom"/>.
/// </summary>
/// <remarks>
/// Live points travel in the render batch (the <c>data-appended</c> attribute, which the module
/// watches) rather than through a JS interop call: an interop call is a second message each way
/// per update on a circuit that renders anyway, and at a thousand open dashboards the calls, their
/// completions and their timeout timers cost more than the renders themselves.
/// </remarks>
public sealed partial class LineChart : ComponentBase, IAsyncDisposable
{
    internal const string ModulePath = "./_content/BlazorIot.Shared/Charts/LineChart.razor.js";

    private ElementReference canvas;
    private IJSObjectReference? module;
    private Func<IJSObjectReference, Task>? pending;
    private bool disposed;
    private (string Height, string Text, string Summary)? rendered;
    private readonly List<SeriesAppend> unsent = [];
    private long generation;
    private string? appended;
    private bool renderPosted;
    private bool parametersSeen;
    private IReadOnlyList<ChartPoint>? seenNewPoints;
    private ChartThresholds? drawnThresholds;
    private bool thresholdsChanged;
    private static long summaryIds;
    private readonly string summaryId = "chart-summary-" + Interlocked.Increment(ref summaryIds).ToString(System.Globalization.CultureInfo.InvariantCulture);
    private List<LineChartWindow> windows = [];
    private (string? Unit, string? SecondUnit) describedUnits;
    private string? summary;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    /// <summary>The single series' label (when <see cref="Series"/> is not set), and the chart's text alternative unless <see cref="Description"/> is set.</summary>
    [Parameter]
    public string Label { get; set; } = "";

    /// <summary>The single series' starting points (when <see cref="Series"/> is not set).</summary>
    [Parameter]
    public IReadOnlyList<ChartPoint> Points { get; set; } = [];

    /// <summary>
    /// Points for the end of the first series from an owner that renders on each update: each new
    /// list (by reference) is appended once, in the render that passes it, so the points ride in the
    /// owner's render batch and the chart schedules no render of its own. Passing the same list
    /// again adds nothing, and a list passed at the first render counts as already in the chart.
    /// </summary>
    [Parameter]
    public IReadOnlyList<ChartPoint>? NewPoints { get; set; }

    /// <summary>The datasets the chart starts with; later changes are ignored (use <see cref="ReplaceAsync"/>).</summary>
    [Parameter]
    public IReadOnlyList<ChartSeries>? Series { get; set; }

    /// <summary>How many of the newest points each series keeps when points are appended.</summary>
    [Parameter]
    public int Capacity { get; set; } = 10;

    [Parameter]
    public string Color { get; set; } = "#9510cd";

    [Parameter]
    public string Height { get; set; } = "18rem";

    /// <summary>Wheel, pinch and drag zoom and pan (chartjs-plugin-zoom).</summary>
    [Parameter]
    public bool Zoom { get; set; }

    /// <summary>Limit lines; a render that passes different ones (by value) redraws them.</summary>
    [Parameter]
    public ChartThresholds? Thresholds { get; set; }

    [Parameter]
    public string? YTitle { get; set; }

    /// <summary>The unit of the values on the left-hand axis, for the summary read to screen readers; <see cref="YTitle"/> when not set.</summary>
    [Parameter]
    public string? Unit { get; set; }

    [Parameter]
    public string? Y2Title { get; set; }

    /// <summary>Text alternative for screen readers.</summary>
    [Parameter]
    public string? Description { get; set; }

    protected override void OnParametersSet()
    {
        if (Capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, "A chart keeps at least one point.");
        }
        if (!parametersSeen)
        {
            windows = Windows(Series ?? [new ChartSeries(Label, Color, Tail(Points, Capacity))], Capacity);
        }
        else if (Series is null && windows.Count == 1 && windows[0].Label != Label)
        {
            // A renamed sensor: the single series is named after the chart.
            windows[0].Label = Label;
            summary = null;
        }
        if (!ReferenceEquals(NewPoints, seenNewPoints))
        {
            if (parametersSeen && NewPoints is { } fresh)
            {
                Queue(0, fresh);
            }
            seenNewPoints = NewPoints;
        }
        if (!Equals(Thresholds, drawnThresholds))
        {
            // The first ones go out with the chart's setup.
            thresholdsChanged = parametersSeen;
            drawnThresholds = Thresholds;
        }
        parametersSeen = true;
    }

    protected override async Task OnParametersSetAsync()
    {
        if (!thresholdsChanged)
        {
            return;
        }
        thresholdsChanged = false;
        try
        {
            await SetThresholdsAsync(drawnThresholds);
        }
        catch (JSDisconnectedException)
        {
            // The browser left; the circuit and this chart are about to be disposed.
        }
    }

    /// <remarks>
    /// The markup is only the canvas, its size and text alternative, and the points appended since
    /// the last render; the rest of the chart changes through the JS module. A live card re-renders
    /// on every reading and passes its points again, which would otherwise re-render this component
    /// each time for nothing.
    /// </remarks>
    protected override bool ShouldRender() => rendered != (Height, Description ?? Label, Summary) || HasUnsent;

    private bool HasUnsent => module is not null && unsent.Count > 0;

    protected override void OnAfterRender(bool firstRender) => rendered = (Height, Description ?? Label, Summary);

    /// <summary>
    /// What the chart shows, in words, for screen readers (linked to the canvas by
    /// <c>aria-describedby</c>). Not a live region: it changes with every point, and a reader that
    /// announced each change would never be quiet. Rebuilt only after a change.
    /// </summary>
    private string Summary
    {
        get
        {
            var (unit, secondUnit) = (Unit ?? YTitle, Y2Title);
            if (describedUnits != (unit, secondUnit))
            {
                describedUnits = (unit, secondUnit);
                summary = null;
            }
            return summary ??= LineChartSummary.Describe(windows, unit, secondUnit);
        }
    }

    private static List<LineChartWindow> Windows(IReadOnlyList<ChartSeries> series, int capacity)
    {
        var created = new List<LineChartWindow>(series.Count);
        foreach (var one in series)
        {
            created.Add(new LineChartWindow(one.Label, one.SecondAxis, capacity, one.Points));
        }
        return created;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }
        var loaded = await JS.InvokeAsync<IJSObjectReference>("import", ModulePath);
        if (disposed)
        {
            await DisposeModuleAsync(loaded);
            return;
        }
        var series = Series ?? [new ChartSeries(Label, Color, Tail(Points, Capacity))];
        var setup = new LineChartSetup(series, Capacity, Zoom, Thresholds, YTitle, Y2Title);
        await loaded.InvokeVoidAsync("createChart", canvas, JsonSerializer.Serialize(setup, ChartJsonContext.Default.LineChartSetup), ChartKey);
        if (disposed)
        {
            // DisposeAsync came while the chart was being created, when there was no module yet to destroy it with.
            await DisposeModuleAsync(loaded);
            return;
        }
        module = loaded;
        // Changes asked for while the chart was being created.
        if (pending is { } late)
        {
            pending = null;
            await late(loaded);
        }
        if (HasUnsent)
        {
            StateHasChanged();
        }
    }

    /// <summary>Adds points at the end of the first series, dropping the oldest beyond <see cref="Capacity"/>.</summary>
    public void Append(IReadOnlyList<ChartPoint> points) => Append(0, points);

    /// <summary>
    /// Adds points at the end of one series, dropping the oldest beyond <see cref="Capacity"/>. Call
    /// it on the renderer (as <c>StateHasChanged</c>); the points go out with the owner's next render
    /// in the same turn, or with a render of the chart alone right after it. An owner that renders
    /// on every update passes <see cref="NewPoints"/> instead, which needs no render of the chart's own.
    /// </summary>
    public void Append(int series, IReadOnlyList<ChartPoint> points)
    {
        if (!Queue(series, points))
        {
            return;
        }
        // Before the chart exists the points wait, but the summary already tells them.
        if (!renderPosted)
        {
            renderPosted = true;
            _ = RenderUnsentAsync();
        }
    }

    /// <summary>Queues points for the next render; false when there is nothing to send.</summary>
    private bool Queue(int series, IReadOnlyList<ChartPoint> points)
    {
        if (points.Count == 0 || disposed)
        {
            return false;
        }
        if (series < windows.Count)
        {
            windows[series].Add(points);
            summary = null;
        }
        var at = 0;
        while (at < unsent.Count && unsent[at].Series != series)
        {
            at++;
        }
        if (at == unsent.Count)
        {
            unsent.Add(new SeriesAppend(series, Tail(points, Capacity)));
        }
        else
        {
            // A chart that is still loading, or a burst before the next render, keeps only what it would show.
            unsent[at] = unsent[at] with { Points = Tail([.. unsent[at].Points, .. points], Capacity) };
        }
        return true;
    }

    /// <remarks>
    /// Waits for the end of the current turn on the renderer: an owner that renders after
    /// appending (a card showing its new value) then carries the points in the same render batch,
    /// one message and one acknowledgement instead of two.
    /// </remarks>
    private async Task RenderUnsentAsync()
    {
        await Task.Yield();
        renderPosted = false;
        if (!disposed && (HasUnsent || summary is null))
        {
            StateHasChanged();
        }
    }

    /// <summary>
    /// The <c>data-appended</c> attribute for this render. A render is what carries the points to
    /// the browser, so they are taken here, each exactly once; until the chart exists they wait.
    /// </summary>
    private string? TakeUnsent()
    {
        if (!HasUnsent)
        {
            return appended;
        }
        appended = JsonSerializer.Serialize(new ChartAppends(++generation, [.. unsent]), ChartJsonContext.Default.ChartAppends);
        unsent.Clear();
        return appended;
    }

    /// <summary>
    /// Replaces every dataset (a new range, a new selection) and resets the zoom; <paramref name="capacity"/>
    /// replaces <see cref="Capacity"/> for later appends. Points appended but not yet rendered are
    /// dropped: they belonged to the datasets being replaced, and would otherwise arrive after them.
    /// </summary>
    public Task ReplaceAsync(IReadOnlyList<ChartSeries> series, int? capacity = null)
    {
        unsent.Clear();
        windows = Windows(series, capacity ?? Capacity);
        summary = null;
        StateHasChanged();
        var json = JsonSerializer.Serialize(series, ChartJsonContext.Default.IReadOnlyListChartSeries);
        return RunAsync(js => js.InvokeVoidAsync("replaceSeries", canvas, json, capacity ?? Capacity).AsTask());
    }

    public Task SetThresholdsAsync(ChartThresholds? thresholds)
    {
        drawnThresholds = thresholds;
        var json = JsonSerializer.Serialize(thresholds, ChartJsonContext.Default.ChartThresholds);
        return RunAsync(js => js.InvokeVoidAsync("setThresholds", canvas, json).AsTask());
    }

    public Task ResetZoomAsync() => RunAsync(js => js.InvokeVoidAsync("resetZoom", canvas).AsTask());

    private async Task RunAsync(Func<IJSObjectReference, Task> change)
    {
        if (disposed)
        {
            return;
        }
        if (module is null)
        {
            var before = pending;
            pending = before is null ? change : async js =>
            {
                await before(js);
                await change(js);
            };
            return;
        }
        await change(module);
    }

    /// <summary>A copy of the newest <paramref name="count"/> points: a caller may reuse its list before the render.</summary>
    private static ChartPoint[] Tail(IReadOnlyList<ChartPoint> points, int count)
    {
        var tail = new ChartPoint[Math.Min(count, points.Count)];
        for (var i = 0; i < tail.Length; i++)
        {
            tail[i] = points[points.Count - tail.Length + i];
        }
        return tail;
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        pending = null;
        unsent.Clear();
        if (module is not null)
        {
            await DisposeModuleAsync(module);
            module = null;
        }
    }

    /// <summary>
    /// Names the chart to the module apart from its canvas: a chart created after its component was
    /// disposed is destroyed once Blazor has removed the canvas, and a reference to a removed element
    /// reaches JavaScript as null.
    /// </summary>
    private string ChartKey => canvas.Id;

    private async ValueTask DisposeModuleAsync(IJSObjectReference loaded)
    {
        try
        {
            await loaded.InvokeVoidAsync("destroyChart", canvas, ChartKey);
            await loaded.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone and the browser with it: there is nothing left to clean up.
        }
    }
}
