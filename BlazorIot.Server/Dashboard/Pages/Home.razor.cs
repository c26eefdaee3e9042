using BlazorIot.Server.Live;
using BlazorIot.Shared.Charts;
using BlazorIot.Shared.Legacy;
using BlazorIot.Shared.Readings;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace BlazorIot.Server.Dashboard.Pages;

public sealed partial class Home : ComponentBase, IDisposable
{
    private const string Sensor = SensorId.Legacy;

    private LineChart chart = default!;
    private IReadOnlyList<ChartPoint> initialPoints = [];
    private Reading? latest;
    private int capacity;
    private ReadingBatcher? batcher;
    private IDisposable? subscription;

    [Inject]
    private LiveFeed Feed { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private IOptions<LiveOptions> Live { get; set; } = default!;

    protected override void OnInitialized()
    {
        capacity = Live.Value.WindowSize;
        var window = Feed.GetWindow(Sensor);
        initialPoints = window.Select(ChartPoint.From).ToArray();
        latest = window.Count > 0 ? window[^1] : null;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }
        batcher = new ReadingBatcher(Time, ReadingBatcher.DefaultInterval, capacity, InvokeAsync, ShowAsync);
        subscription = Feed.Subscribe(Sensor, batcher.Add);
        // Readings published between the first render and the subscription are in the window.
        foreach (var reading in Feed.GetWindow(Sensor))
        {
            batcher.Add(reading);
        }
    }

    private async Task ShowAsync(IReadOnlyList<Reading> batch)
    {
        var lastShown = latest?.Sequence ?? 0;
        var fresh = batch.Where(r => r.Sequence > lastShown).DistinctBy(r => r.Sequence).OrderBy(r => r.Sequence).ToArray();
        if (fresh.Length == 0)
        {
            return;
        }
        latest = fresh[^1];
        StateHasChanged();
        try
        {
            await chart.AppendAsync(fresh.Select(ChartPoint.From).ToArray());
        }
        catch (JSDisconnectedException)
        {
            // The browser left; the circuit and this component are about to be disposed.
        }
    }

    private string LocalLabel(Reading reading) => LegacySnapshot.Label(reading.Timestamp, Time.LocalTimeZone);

    public void Dispose()
    {
        subscription?.Dispose();
        batcher?.Dispose();
    }
}
