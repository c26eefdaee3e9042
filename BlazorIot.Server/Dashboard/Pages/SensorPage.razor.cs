using System.Globalization;
using BlazorIot.Server.Alerts;
using BlazorIot.Server.Live;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Charts;
using BlazorIot.Shared.Readings;
using Microsoft.AspNetCore.Components;

namespace BlazorIot.Server.Dashboard.Pages;

/// <summary>
/// One sensor in depth: a large chart over a chosen range (live tail, spans back from now, or
/// custom bounds; long ranges as a min–max band with the average), zoom and pan, pause, a table
/// of the same data, its CSV, its thresholds and its alert log.
/// </summary>
public sealed partial class SensorPage : ComponentBase, IDisposable
{
    private const int LivePoints = 300;
    private const int MaxRawPoints = 20_000;

    private LineChart chart = default!;
    private SensorInfo? sensor;
    private Reading? latest;
    private Alert? alert;
    private ChosenRange range = ChosenRange.Live;
    private IReadOnlyList<ChartSeries> initialSeries = [];
    private IReadOnlyList<ChartPoint>? newPoints;
    private List<ShownRow> rows = [];
    private IReadOnlyList<Alert> alerts = [];
    private (DateTimeOffset From, DateTimeOffset To) shownBounds;
    private int capacity = LivePoints;
    private bool aggregated;
    private bool paused;
    private bool showTable;
    private ReadingBatcher? batcher;
    private IDisposable? subscription;
    private IDisposable? alertChanges;
    private IDisposable? sensorChanges;
    private SensorChange? ended;
    // The sensor whose live readings, alerts and changes this page follows.
    private string? following;

    [Inject]
    private ReadingStore Store { get; set; } = default!;

    [Inject]
    private AlertStore AlertLog { get; set; } = default!;

    [Inject]
    private AlertMonitor Alerts { get; set; } = default!;

    [Inject]
    private LiveFeed Feed { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Parameter]
    public string Id { get; set; } = "";

    private string Title => sensor?.Name ?? Id;

    private ChartThresholds? ChartLimits => Alerts.ThresholdsOf(Id) is { IsEmpty: false } limits ? new ChartThresholds(limits.Low, limits.High) : null;

    private string CsvUrl =>
        $"api/sensors/{Uri.EscapeDataString(Id)}/readings?format=csv&from={Uri.EscapeDataString(shownBounds.From.ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(shownBounds.To.ToString("O", CultureInfo.InvariantCulture))}";

    private string RangeNote => aggregated
        ? $"{rows.Count} buckets of {Bucket(shownBounds)}: min–max band and average"
        : $"{rows.Count} readings{(paused ? ", paused" : range.FollowsLive ? ", live" : "")}";

    protected override async Task OnParametersSetAsync()
    {
        ended = null;
        if (Id != following)
        {
            // Another sensor in the same page (after a rename, or a link): nothing of the last one stays.
            (latest, paused) = (null, false);
        }
        sensor = SensorId.IsValid(Id) ? await Store.GetSensorAsync(Id, CancellationToken.None) : null;
        if (sensor is null)
        {
            return;
        }
        alert = Alerts.ActiveAlertOf(Id);
        alerts = await AlertLog.ListAsync(Id, 20, openOnly: false, CancellationToken.None);
        initialSeries = await LoadAsync(range);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (sensor is null || following == Id)
        {
            return;
        }
        StopFollowing();
        following = Id;
        batcher = new ReadingBatcher(Time, ReadingBatcher.DefaultInterval, MaxRawPoints, InvokeAsync, ShowLiveAsync);
        subscription = Feed.Subscribe(Id, batcher.Add);
        foreach (var reading in Feed.GetWindow(Id))
        {
            batcher.Add(reading);
        }
        alertChanges = Feed.Own(Alerts.Subscribe(changed =>
        {
            if (changed == Id)
            {
                _ = InvokeAsync(AlertChangedAsync);
            }
        }));
        sensorChanges = Feed.SubscribeChanges(change =>
        {
            if (change.Sensor == Id || change.RenamedTo == Id)
            {
                _ = InvokeAsync(() => SensorChangedAsync(change));
            }
        });
    }

    /// <summary>Described: new name, unit or decimals at once. Renamed away or deleted: the page says so. History imported or merged in: the range reloads.</summary>
    private async Task SensorChangedAsync(SensorChange change)
    {
        if (sensor is null)
        {
            return;
        }
        switch (change.Kind)
        {
            case SensorChangeKind.Described when change.Info is { } info:
                sensor = info;
                break;
            case SensorChangeKind.Deleted:
            case SensorChangeKind.Renamed when change.Sensor == Id:
                ended = change;
                break;
            case SensorChangeKind.Renamed:
            case SensorChangeKind.HistoryChanged:
                sensor = await Store.GetSensorAsync(Id, CancellationToken.None) ?? sensor;
                if (!paused)
                {
                    await chart.ReplaceAsync(await LoadAsync(range), capacity);
                }
                break;
        }
        StateHasChanged();
    }

    private async Task ChangeRangeAsync(ChosenRange chosen)
    {
        range = chosen;
        paused = false;
        await chart.ReplaceAsync(await LoadAsync(chosen), capacity);
    }

    private async Task TogglePauseAsync()
    {
        paused = !paused;
        if (!paused)
        {
            // Catch up with what arrived while paused.
            await chart.ReplaceAsync(await LoadAsync(range), capacity);
        }
    }

    /// <summary>The page renders after the editor's callback, and that render passes the new limits to the chart.</summary>
    private static void ThresholdsSaved(Thresholds _)
    {
    }

    private async Task AlertChangedAsync()
    {
        alert = Alerts.ActiveAlertOf(Id);
        alerts = await AlertLog.ListAsync(Id, 20, openOnly: false, CancellationToken.None);
        StateHasChanged();
    }

    private async Task<IReadOnlyList<ChartSeries>> LoadAsync(ChosenRange chosen)
    {
        var now = Time.GetUtcNow();
        var color = "#7a0fb0";
        if (chosen.Bounds(now) is not { } bounds)
        {
            var newest = await ReadAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, LivePoints, newestFirst: true);
            newest.Reverse();
            Show(newest, newest.Count > 0 ? newest[0].Timestamp : now, now, LivePoints);
            return [new ChartSeries(Title, color, [.. newest.Select(ChartPoint.From)])];
        }
        if (chosen.FollowsLive)
        {
            var readings = await ReadAsync(bounds.From, DateTimeOffset.MaxValue, MaxRawPoints, newestFirst: false);
            Show(readings, bounds.From, bounds.To, MaxRawPoints);
            return [new ChartSeries(Title, color, [.. readings.Select(ChartPoint.From)])];
        }
        var size = ChosenRange.BucketFor(bounds.From, bounds.To);
        var buckets = await Store.AggregateAsync(Id, bounds.From, bounds.To, size, CancellationToken.None);
        aggregated = true;
        shownBounds = bounds;
        rows = [.. buckets.Select(b => new ShownRow(b.Start, b.Avg, b.Min, b.Max, b.Count))];
        var half = (long)(size.TotalMilliseconds / 2);
        ChartPoint At(AggregateBucket b, double y) => new(b.Start.ToUnixTimeMilliseconds() + half, y);
        return
        [
            new ChartSeries("min", color, [.. buckets.Select(b => At(b, b.Min))]) { Kind = SeriesKind.BandLow },
            new ChartSeries("min–max", color, [.. buckets.Select(b => At(b, b.Max))]) { Kind = SeriesKind.BandHigh },
            new ChartSeries($"{Title} (average)", color, [.. buckets.Select(b => At(b, b.Avg))]),
        ];
    }

    private void Show(List<Reading> readings, DateTimeOffset from, DateTimeOffset to, int keep)
    {
        aggregated = false;
        capacity = keep;
        shownBounds = (from, to);
        rows = [.. readings.Select(r => new ShownRow(r.Timestamp, r.Value, null, null, null))];
        latest = readings.Count > 0 ? readings.MaxBy(r => r.Sequence) : latest;
    }

    private Task ShowLiveAsync(IReadOnlyList<Reading> batch)
    {
        var lastShown = latest?.Sequence ?? 0;
        var fresh = batch.Where(r => r.Sequence > lastShown).DistinctBy(r => r.Sequence).OrderBy(r => r.Sequence).ToArray();
        if (fresh.Length == 0)
        {
            return Task.CompletedTask;
        }
        latest = fresh[^1];
        if (paused || !range.FollowsLive)
        {
            StateHasChanged();
            return Task.CompletedTask;
        }
        rows.AddRange(fresh.Select(r => new ShownRow(r.Timestamp, r.Value, null, null, null)));
        if (rows.Count > capacity)
        {
            rows.RemoveRange(0, rows.Count - capacity);
        }
        shownBounds = (rows[0].Time, Time.GetUtcNow());
        // Passed to the chart by this render, the points ride in the page's render batch.
        newPoints = fresh.Select(ChartPoint.From).ToArray();
        StateHasChanged();
        return Task.CompletedTask;
    }

    private async Task<List<Reading>> ReadAsync(DateTimeOffset from, DateTimeOffset to, int limit, bool newestFirst)
    {
        var readings = new List<Reading>();
        await foreach (var reading in Store.QueryAsync(Id, from, to, limit, newestFirst, CancellationToken.None))
        {
            readings.Add(reading);
        }
        return readings;
    }

    private static string Bucket((DateTimeOffset From, DateTimeOffset To) bounds)
    {
        var size = ChosenRange.BucketFor(bounds.From, bounds.To);
        return size.TotalHours >= 1 ? $"{size.TotalHours:0.#} h" : size.TotalMinutes >= 1 ? $"{size.TotalMinutes:0.#} min" : $"{size.TotalSeconds:0} s";
    }

    private string Format(double value) => DashboardText.Value(value, sensor?.Decimals);

    private string Local(DateTimeOffset timestamp) => DashboardText.Time(timestamp, Time.LocalTimeZone);

    private string LocalDateTime(DateTimeOffset timestamp) => DashboardText.DateTime(timestamp, Time.LocalTimeZone);

    private void StopFollowing()
    {
        subscription?.Dispose();
        batcher?.Dispose();
        alertChanges?.Dispose();
        sensorChanges?.Dispose();
        (subscription, batcher, alertChanges, sensorChanges, following) = (null, null, null, null, null);
    }

    public void Dispose() => StopFollowing();

    private sealed record ShownRow(DateTimeOffset Time, double Value, double? Min, double? Max, long? Count);
}
