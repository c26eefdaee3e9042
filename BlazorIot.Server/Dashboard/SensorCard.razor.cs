using BlazorIot.Server.Alerts;
using BlazorIot.Server.Live;
using BlazorIot.Shared.Charts;
using BlazorIot.Shared.Readings;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace BlazorIot.Server.Dashboard;

/// <summary>
/// One sensor on the home page: its live chart, last value and unit, min / max / avg of the
/// points shown, readings per minute, a stale mark when it has gone quiet, and its alert.
/// </summary>
public sealed partial class SensorCard : ComponentBase, IDisposable
{
    private readonly List<Reading> shown = [];
    private LineChart chart = default!;
    private IReadOnlyList<ChartPoint> initialPoints = [];
    private SensorActivity activity = default!;
    private Reading? latest;
    private Alert? alert;
    private bool stale;
    private int rate;
    private ReadingBatcher? batcher;
    private IDisposable? subscription;
    private IDisposable? alertChanges;

    [Inject]
    private LiveFeed Feed { get; set; } = default!;

    [Inject]
    private AlertMonitor Alerts { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Parameter, EditorRequired]
    public SensorInfo Sensor { get; set; } = default!;

    /// <summary>The sensor's newest readings from the store, oldest first.</summary>
    [Parameter]
    public IReadOnlyList<Reading> History { get; set; } = [];

    [Parameter]
    public int Capacity { get; set; } = 120;

    private ChartThresholds? ChartLimits
    {
        get
        {
            var limits = Alerts.ThresholdsOf(Sensor.Id);
            return limits.IsEmpty ? null : new ChartThresholds(limits.Low, limits.High);
        }
    }

    protected override void OnInitialized()
    {
        activity = new SensorActivity(Time);
        foreach (var reading in History)
        {
            Keep(reading);
        }
        initialPoints = shown.Select(ChartPoint.From).ToArray();
        alert = Alerts.ActiveAlertOf(Sensor.Id);
        stale = activity.IsStale();
        rate = activity.ReadingsInLastMinute();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }
        batcher = new ReadingBatcher(Time, ReadingBatcher.DefaultInterval, Capacity, InvokeAsync, ShowAsync);
        subscription = Feed.Subscribe(Sensor.Id, batcher.Add);
        alertChanges = Feed.Own(Alerts.Subscribe(sensor =>
        {
            if (sensor == Sensor.Id)
            {
                _ = InvokeAsync(AlertChangedAsync);
            }
        }));
        // Readings published since the history was read are still in the hub's window.
        foreach (var reading in Feed.GetWindow(Sensor.Id))
        {
            batcher.Add(reading);
        }
    }

    /// <summary>Re-reads the time-dependent marks (stale, per minute) and the alert; the page calls it every second.</summary>
    /// <summary>Re-renders only when what time alone changes (stale mark, alert, readings per minute) did change.</summary>
    public void Refresh()
    {
        var nowStale = activity.IsStale();
        var nowAlert = Alerts.ActiveAlertOf(Sensor.Id);
        var nowRate = activity.ReadingsInLastMinute();
        if (nowStale == stale && Equals(nowAlert, alert) && nowRate == rate)
        {
            return;
        }
        stale = nowStale;
        alert = nowAlert;
        rate = nowRate;
        StateHasChanged();
    }

    private async Task AlertChangedAsync()
    {
        Refresh();
        try
        {
            await chart.SetThresholdsAsync(ChartLimits);
        }
        catch (JSDisconnectedException)
        {
            // The browser left; the circuit and this card are about to be disposed.
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
        foreach (var reading in fresh)
        {
            Keep(reading);
        }
        stale = activity.IsStale();
        alert = Alerts.ActiveAlertOf(Sensor.Id);
        rate = activity.ReadingsInLastMinute();
        StateHasChanged();
        try
        {
            await chart.AppendAsync(fresh.Select(ChartPoint.From).ToArray());
        }
        catch (JSDisconnectedException)
        {
            // The browser left; the circuit and this card are about to be disposed.
        }
    }

    private void Keep(Reading reading)
    {
        shown.Add(reading);
        if (shown.Count > Capacity)
        {
            shown.RemoveRange(0, shown.Count - Capacity);
        }
        activity.Add(reading.Timestamp);
        if (latest is null || reading.Sequence > latest.Sequence)
        {
            latest = reading;
        }
    }

    private string Stat(Func<IEnumerable<double>, double> statistic) =>
        shown.Count == 0 ? "–" : Format(statistic(shown.Select(r => r.Value)));

    private static string Format(double value) => DashboardText.Value(value);

    private string LocalTime(DateTimeOffset timestamp) => DashboardText.Time(timestamp, Time.LocalTimeZone);

    private string AlertText(Alert active) =>
        $"{(active.Kind == AlertKind.High ? "above" : "below")} {Format(active.Threshold)}{(Sensor.Unit is null ? "" : " " + Sensor.Unit)} since {LocalTime(active.Started)}";

    public void Dispose()
    {
        subscription?.Dispose();
        alertChanges?.Dispose();
        batcher?.Dispose();
    }
}
