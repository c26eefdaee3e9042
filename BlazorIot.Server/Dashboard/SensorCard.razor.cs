using System.Globalization;
using BlazorIot.Server.Alerts;
using BlazorIot.Server.Live;
using BlazorIot.Server.Notifications.Events;
using BlazorIot.Shared.Charts;
using BlazorIot.Shared.Readings;
using Microsoft.AspNetCore.Components;

namespace BlazorIot.Server.Dashboard;

/// <summary>
/// One sensor on the home page: its live chart, last value and unit, min / max / avg of the
/// points shown, readings per minute, a stale mark when it has gone quiet, and its alert.
/// </summary>
public sealed partial class SensorCard : ComponentBase, IDisposable
{
    private ValueWindow shown = default!;
    private IReadOnlyList<ChartPoint> initialPoints = [];
    private IReadOnlyList<ChartPoint>? newPoints;
    private SensorActivity activity = default!;
    private Reading? latest;
    private Alert? alert;
    private bool stale;
    private int rate;
    private string minText = "–";
    private string maxText = "–";
    private string avgText = "–";
    private string valueText = "";
    private string isoTime = "";
    private string timeText = "";
    private string rateText = "0";
    // Fixed per sensor and kept, so that a render on every reading writes only what changed
    // into the card's render tree (each fresh object it points at is work for every collection).
    private string title = "";
    private string headingId = "";
    private string sensorPage = "";
    private string chartText = "";
    private ChartThresholds? chartLimits;
    private ReadingBatcher? batcher;
    private IDisposable? subscription;
    private IDisposable? alertChanges;
    private int? shownDecimals;

    [Inject]
    private LiveFeed Feed { get; set; } = default!;

    [Inject]
    private AlertMonitor Alerts { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private SilenceWatch Silence { get; set; } = default!;

    [Parameter, EditorRequired]
    public SensorInfo Sensor { get; set; } = default!;

    /// <summary>What the card starts with of the sensor's newest readings in the store.</summary>
    [Parameter]
    public CardHistory History { get; set; } = CardHistory.Empty;

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

    private string CardClass => (alert is null, stale) switch
    {
        (true, false) => "card",
        (false, false) => "card alerting",
        (true, true) => "card stale",
        (false, true) => "card alerting stale",
    };

    protected override void OnParametersSet()
    {
        // A description changed live (unit, decimals): the texts made for the old one are redone.
        if (shown is not null && Sensor.Decimals != shownDecimals)
        {
            Summarise();
        }
        shownDecimals = Sensor.Decimals;
        title = Sensor.Name ?? Sensor.Id;
        headingId = $"card-{Sensor.Id}";
        sensorPage = $"sensors/{Sensor.Id}";
        chartText = $"Live line chart of {title}; the numbers below summarise it.";
    }

    protected override void OnInitialized()
    {
        activity = new SensorActivity(Time);
        shown = new ValueWindow(Capacity);
        foreach (var point in History.Points)
        {
            shown.Add(point.Y);
            activity.Add(DateTimeOffset.FromUnixTimeMilliseconds(point.X));
        }
        latest = History.Newest;
        var points = History.Points;
        initialPoints = points.Length <= Capacity ? points : points[^Capacity..];
        chartLimits = ChartLimits;
        Summarise();
        alert = Alerts.ActiveAlertOf(Sensor.Id);
        stale = IsStale();
        SetRate(activity.ReadingsInLastMinute());
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
                _ = InvokeAsync(AlertChanged);
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
        var nowStale = IsStale();
        var nowAlert = Alerts.ActiveAlertOf(Sensor.Id);
        var nowRate = activity.ReadingsInLastMinute();
        if (nowStale == stale && Equals(nowAlert, alert) && nowRate == rate)
        {
            return;
        }
        stale = nowStale;
        alert = nowAlert;
        SetRate(nowRate);
        StateHasChanged();
    }

    /// <summary>New limits (the chart redraws its lines when the render passes them) or a new alert.</summary>
    private void AlertChanged()
    {
        chartLimits = ChartLimits;
        Refresh();
        StateHasChanged();
    }

    private Task ShowAsync(IReadOnlyList<Reading> batch)
    {
        var fresh = Fresh(batch, latest?.Sequence ?? 0);
        if (fresh.Count == 0)
        {
            return Task.CompletedTask;
        }
        var points = new ChartPoint[fresh.Count];
        for (var i = 0; i < fresh.Count; i++)
        {
            Keep(fresh[i]);
            points[i] = ChartPoint.From(fresh[i]);
        }
        // Passed to the chart by this render, the points ride in the card's render batch.
        newPoints = points;
        Summarise();
        stale = IsStale();
        alert = Alerts.ActiveAlertOf(Sensor.Id);
        SetRate(activity.ReadingsInLastMinute());
        StateHasChanged();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The readings after <paramref name="lastShown"/>, by sequence, each once: the live feed
    /// delivers in order, but the hub's window replayed at start can overlap it.
    /// </summary>
    internal static List<Reading> Fresh(IReadOnlyList<Reading> batch, long lastShown)
    {
        var fresh = new List<Reading>(batch.Count);
        var ordered = true;
        foreach (var reading in batch)
        {
            if (reading.Sequence <= lastShown)
            {
                continue;
            }
            ordered &= fresh.Count == 0 || reading.Sequence > fresh[^1].Sequence;
            fresh.Add(reading);
        }
        if (!ordered)
        {
            fresh.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
            var kept = 0;
            for (var i = 0; i < fresh.Count; i++)
            {
                if (kept == 0 || fresh[i].Sequence != fresh[kept - 1].Sequence)
                {
                    fresh[kept++] = fresh[i];
                }
            }
            fresh.RemoveRange(kept, fresh.Count - kept);
        }
        return fresh;
    }

    // The sensor's own limit, when set, replaces three usual intervals, as for the silence notifications.
    private bool IsStale()
    {
        activity.SilentAfter = Silence.LimitOf(Sensor.Id);
        return activity.IsStale();
    }

    private void Keep(Reading reading)
    {
        shown.Add(reading.Value);
        activity.Add(reading.Timestamp);
        if (latest is null || reading.Sequence > latest.Sequence)
        {
            latest = reading;
        }
    }

    private void SetRate(int perMinute)
    {
        if (perMinute != rate)
        {
            rate = perMinute;
            rateText = perMinute.ToString(CultureInfo.CurrentCulture);
        }
    }

    /// <summary>The latest value and its time, and min, max and average of the points shown, formatted once per change rather than on every render.</summary>
    private void Summarise()
    {
        if (latest is not null)
        {
            valueText = Format(latest.Value);
            isoTime = DashboardText.Iso(latest.Timestamp);
            timeText = LocalTime(latest.Timestamp);
        }
        (minText, maxText, avgText) = shown.Summary() is var (min, max, average)
            ? (Format(min), Format(max), Format(average))
            : ("–", "–", "–");
    }

    private string Format(double value) => DashboardText.Value(value, Sensor.Decimals);

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
