using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace BlazorIot.Shared.Charts;

/// <summary>
/// A live Chart.js line chart on a time axis. <see cref="Points"/> is the data the chart starts
/// with; afterwards the owner calls <see cref="AppendAsync"/> with new points only, so a live
/// chart never sends its whole data set again. The page must load Chart.js (UMD build) first.
/// </summary>
public sealed partial class LineChart : ComponentBase, IAsyncDisposable
{
    internal const string ModulePath = "./_content/BlazorIot.Shared/Charts/LineChart.razor.js";

    private ElementReference canvas;
    private IJSObjectReference? module;
    private List<ChartPoint>? backlog;
    private bool disposed;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    /// <summary>The dataset label, also the chart's text alternative unless <see cref="Description"/> is set.</summary>
    [Parameter, EditorRequired]
    public string Label { get; set; } = "";

    /// <summary>The points drawn when the chart is created; later changes are ignored (use <see cref="AppendAsync"/>).</summary>
    [Parameter]
    public IReadOnlyList<ChartPoint> Points { get; set; } = [];

    /// <summary>How many of the newest points the chart keeps.</summary>
    [Parameter]
    public int Capacity { get; set; } = 10;

    [Parameter]
    public string Color { get; set; } = "#9510cd";

    [Parameter]
    public string Height { get; set; } = "18rem";

    /// <summary>Text alternative for screen readers.</summary>
    [Parameter]
    public string? Description { get; set; }

    protected override void OnParametersSet()
    {
        if (Capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, "A chart keeps at least one point.");
        }
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

        var initial = new List<ChartPoint>(Points);
        if (backlog is not null)
        {
            initial.AddRange(backlog);
            backlog = null;
        }
        await loaded.InvokeVoidAsync("createChart", canvas, new LineChartSetup(Label, Color, Capacity, Newest(initial)));
        module = loaded;

        // Points appended while the chart was being created waited in the backlog.
        if (backlog is { Count: > 0 } late)
        {
            backlog = null;
            await AppendAsync(late);
        }
    }

    /// <summary>Adds points at the end of the chart, dropping the oldest beyond <see cref="Capacity"/>.</summary>
    public async Task AppendAsync(IReadOnlyList<ChartPoint> points)
    {
        if (points.Count == 0 || disposed)
        {
            return;
        }
        if (module is null)
        {
            (backlog ??= []).AddRange(points);
            return;
        }
        await module.InvokeVoidAsync("appendPoints", canvas, Newest(points));
    }

    private IReadOnlyList<ChartPoint> Newest(IReadOnlyList<ChartPoint> points) =>
        points.Count <= Capacity ? points : points.Skip(points.Count - Capacity).ToArray();

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        if (module is not null)
        {
            await DisposeModuleAsync(module);
            module = null;
        }
    }

    private async ValueTask DisposeModuleAsync(IJSObjectReference loaded)
    {
        try
        {
            await loaded.InvokeVoidAsync("destroyChart", canvas);
            await loaded.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone and the browser with it: there is nothing left to clean up.
        }
    }
}
