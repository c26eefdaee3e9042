using BlazorIot.Server.Live;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Notifications;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Notifications.Events;

/// <summary>
/// Watches every sensor for silence by <see cref="ReadingCadence"/>'s rule (the dashboard's stale
/// mark) or the sensor's own limit, and raises <see cref="NotificationChange.Silent"/> once when a
/// sensor passes it and <see cref="NotificationChange.Back"/> on its next reading. One timer, set
/// for the next sensor due, does the checking; nothing polls.
/// </summary>
/// <remarks>
/// A silence is dated by the readings alone (the last one plus the limit), so every instance that
/// saw the same readings raises the same event. At start each sensor's recent readings come from
/// the store: a sensor that fell silent while the server was down is reported once due, and one
/// already silent at start is reported then, with the same date as before the restart.
/// </remarks>
public sealed partial class SilenceWatch(
    SensorHub hub, ReadingStore store, TimeProvider time, IEnumerable<INotificationSink> sinks, ILogger<SilenceWatch> logger) : BackgroundService
{
    /// <summary>How soon a limit set on another instance applies here.</summary>
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);

    /// <summary>The shortest and longest limit a sensor may have of its own.</summary>
    public static readonly TimeSpan ShortestLimit = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan LongestLimit = TimeSpan.FromDays(30);

    private readonly INotificationSink[] sinks = [.. sinks];
    private readonly Lock gate = new();
    private readonly Dictionary<string, Watched> sensors = new(StringComparer.Ordinal);
    private Dictionary<string, TimeSpan> limits = new(StringComparer.Ordinal);
    // Counts the changes made here, so a reload read before one of them does not undo it.
    private long limitChanges;
    private DateTimeOffset? wakeAt;
    private ITimer? timer;
    private IDisposable? readings;
    private IDisposable? changes;

    /// <summary>Why a limit is refused (for the API and the settings panel alike); null when it may be set.</summary>
    public static string? CheckLimit(TimeSpan? silentAfter) =>
        silentAfter is { } after && (after < ShortestLimit || after > LongestLimit)
            ? "The silence limit is between 10 seconds and 30 days; leave it empty for automatic (three usual intervals)."
            : null;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var stored = await store.LoadSilenceLimitsAsync(cancellationToken);
        lock (gate)
        {
            limits = stored;
        }
        timer = time.CreateTimer(_ => CheckDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        // Live first, then the store: a reading published meanwhile is kept, not lost between the two.
        readings = hub.SubscribeAll(Observe);
        changes = hub.SubscribeChanges(Follow);
        foreach (var sensor in await store.SensorIdsAsync(cancellationToken))
        {
            var recent = new List<Reading>(ReadingCadence.Remembered);
            await foreach (var reading in store.QueryAsync(sensor, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, ReadingCadence.Remembered, newestFirst: true, cancellationToken))
            {
                recent.Add(reading);
            }
            recent.Reverse();
            Seed(sensor, recent);
        }
        CheckDue();
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        readings?.Dispose();
        changes?.Dispose();
        timer?.Dispose();
        await base.StopAsync(cancellationToken);
    }

    /// <summary>The sensor's own silence limit here; null when automatic.</summary>
    public TimeSpan? LimitOf(string sensor)
    {
        lock (gate)
        {
            return limits.TryGetValue(sensor, out var limit) ? limit : null;
        }
    }

    /// <summary>Three usual intervals of the sensor: its limit when it has none of its own; null until it has two readings.</summary>
    public TimeSpan? AutomaticLimitOf(string sensor)
    {
        lock (gate)
        {
            return sensors.TryGetValue(sensor, out var watched) ? watched.Cadence.SilenceLimit(null) : null;
        }
    }

    /// <summary>The sensor's usual interval between readings and whether it is silent now.</summary>
    public (TimeSpan? UsualInterval, bool Silent) StateOf(string sensor)
    {
        lock (gate)
        {
            return sensors.TryGetValue(sensor, out var watched)
                ? (watched.Cadence.UsualInterval, watched.Cadence.IsSilent(time.GetUtcNow(), LimitOfUnderGate(sensor)))
                : (null, false);
        }
    }

    /// <summary>Stores the sensor's own limit (null: automatic) and applies it at once.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <see cref="CheckLimit"/> refuses it.</exception>
    public async Task SetLimitAsync(string sensor, TimeSpan? silentAfter, CancellationToken cancellationToken)
    {
        if (CheckLimit(silentAfter) is { } error)
        {
            throw new ArgumentOutOfRangeException(nameof(silentAfter), silentAfter, error);
        }
        await store.SetSilenceLimitAsync(sensor, silentAfter, time.GetUtcNow(), cancellationToken);
        lock (gate)
        {
            limitChanges++;
            if (silentAfter is { } after)
            {
                limits[sensor] = after;
            }
            else
            {
                limits.Remove(sensor);
            }
        }
        CheckDue();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var refresh = new PeriodicTimer(RefreshEvery, time);
        try
        {
            while (await refresh.WaitForNextTickAsync(stoppingToken))
            {
                await ReloadLimitsAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReloadLimitsAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, TimeSpan> stored;
        long changesBefore;
        lock (gate)
        {
            changesBefore = limitChanges;
        }
        try
        {
            stored = await store.LoadSilenceLimitsAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogReloadFailed(exception);
            return;
        }
        lock (gate)
        {
            if (limitChanges != changesBefore)
            {
                return;
            }
            limits = stored;
        }
        CheckDue();
    }

    private void Seed(string sensor, IReadOnlyList<Reading> stored)
    {
        lock (gate)
        {
            var cadence = new ReadingCadence();
            if (sensors.TryGetValue(sensor, out var live))
            {
                // Readings that came live while the store was read: the stored ones before them, then them.
                foreach (var reading in stored)
                {
                    if (reading.Sequence < live.FirstSequence)
                    {
                        cadence.Add(reading.Timestamp);
                    }
                }
                foreach (var timestamp in live.Cadence.Recent())
                {
                    cadence.Add(timestamp);
                }
            }
            else
            {
                foreach (var reading in stored)
                {
                    cadence.Add(reading.Timestamp);
                }
            }
            if (cadence.Last is not null)
            {
                sensors[sensor] = new Watched(cadence, live?.FirstSequence ?? long.MaxValue)
                {
                    LastArrival = live?.LastArrival,
                    // Silent for longer than the outbox remembers events: told before (or while this server was off
                    // for that long); told again at every start, a long-dead sensor would page someone at each deploy.
                    Silent = live is null && cadence.SilentAfter(LimitOfUnderGate(sensor)) is { } due
                        && time.GetUtcNow() - due > NotificationStore.RepeatWindow,
                };
            }
        }
    }

    // On the hub's publishing thread: memory only; events are raised after the gate.
    private void Observe(Reading reading)
    {
        NotificationEvent? back = null;
        lock (gate)
        {
            if (!sensors.TryGetValue(reading.Sensor, out var watched))
            {
                watched = new Watched(new ReadingCadence(), reading.Sequence);
                sensors.Add(reading.Sensor, watched);
            }
            var before = watched.Cadence.Last;
            if (!watched.Cadence.Add(reading.Timestamp))
            {
                return;
            }
            if (watched.Silent)
            {
                watched.Silent = false;
                // LastReading: the one before the silence, so the message can say how long it lasted.
                back = new NotificationEvent(NotificationChange.Back, reading.Sensor, reading.Timestamp, reading.Value, null, before);
            }
            watched.LastArrival = time.GetUtcNow();
            if (WakeOf(watched, LimitOfUnderGate(reading.Sensor)) is { } wake && (wakeAt is null || wake < wakeAt))
            {
                WakeAtUnderGate(wake);
            }
        }
        Raise(back);
    }

    private void Follow(SensorChange change)
    {
        switch (change)
        {
            case { Kind: SensorChangeKind.Deleted }:
                lock (gate)
                {
                    sensors.Remove(change.Sensor);
                    limitChanges++;
                    limits.Remove(change.Sensor);
                }
                break;
            case { Kind: SensorChangeKind.Renamed, RenamedTo: { } to }:
                Move(change.Sensor, to);
                CheckDue();
                break;
        }
    }

    private void Move(string from, string to)
    {
        lock (gate)
        {
            limitChanges++;
            if (limits.Remove(from, out var fromLimit))
            {
                // As the store merges: the target keeps its own limit, else takes the source's.
                limits.TryAdd(to, fromLimit);
            }
            if (!sensors.Remove(from, out var moved))
            {
                return;
            }
            if (!sensors.TryGetValue(to, out var target))
            {
                sensors[to] = moved;
                return;
            }
            var merged = new ReadingCadence();
            foreach (var timestamp in moved.Cadence.Recent().Concat(target.Cadence.Recent()).Order().TakeLast(ReadingCadence.Remembered))
            {
                merged.Add(timestamp);
            }
            // A merged sensor already silent was reported under one id or the other: not again.
            sensors[to] = new Watched(merged, Math.Min(moved.FirstSequence, target.FirstSequence))
            {
                Silent = merged.IsSilent(time.GetUtcNow(), LimitOfUnderGate(to)),
            };
        }
    }

    /// <summary>Raises each silence now due, and sets the timer for the next one.</summary>
    private void CheckDue()
    {
        List<NotificationEvent>? silent = null;
        lock (gate)
        {
            var now = time.GetUtcNow();
            DateTimeOffset? next = null;
            foreach (var (sensor, watched) in sensors)
            {
                var limit = LimitOfUnderGate(sensor);
                if (watched.Silent || watched.Cadence.SilentAfter(limit) is not { } due || WakeOf(watched, limit) is not { } wake)
                {
                    continue;
                }
                if (now > wake)
                {
                    watched.Silent = true;
                    (silent ??= []).Add(new NotificationEvent(NotificationChange.Silent, sensor, due, null, null, watched.Cadence.Last));
                }
                else if (next is null || wake < next)
                {
                    next = wake;
                }
            }
            wakeAt = null;
            if (next is { } at)
            {
                WakeAtUnderGate(at);
            }
        }
        if (silent is not null)
        {
            foreach (var notification in silent)
            {
                Raise(notification);
            }
        }
    }

    // Silent means more than the limit has passed: the timer goes off one tick after the due instant. A sensor
    // reporting monthly is due months ahead, past what a system timer takes (about 49 days): the timer then
    // goes off after a day at most, and the check sets it again.
    private void WakeAtUnderGate(DateTimeOffset due)
    {
        var now = time.GetUtcNow();
        var wait = due - now + TimeSpan.FromTicks(1);
        wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > LongestWait ? LongestWait : wait;
        wakeAt = now + wait;
        timer?.Change(wait, Timeout.InfiniteTimeSpan);
    }

    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    /// <summary>
    /// When the sensor counts as silent here: past its limit by its readings' own times, and past it since the last
    /// reading arrived. A batch of readings a device kept while offline, or one that took long to come, is news that
    /// it reports, not a silence; the event is still dated by the readings, the same on every instance.
    /// </summary>
    private static DateTimeOffset? WakeOf(Watched watched, TimeSpan? limit)
    {
        if (watched.Cadence.SilentAfter(limit) is not { } due || watched.Cadence.SilenceLimit(limit) is not { } span)
        {
            return null;
        }
        return watched.LastArrival is { } arrived && arrived + span > due ? arrived + span : due;
    }

    private TimeSpan? LimitOfUnderGate(string sensor) => limits.TryGetValue(sensor, out var limit) ? limit : null;

    private void Raise(NotificationEvent? notification) => sinks.RaiseToEach(notification, LogSinkFailed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not re-read the sensors' silence limits; keeping the ones known.")]
    private partial void LogReloadFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A notification sink failed to take a silence event of sensor {Sensor}.")]
    private partial void LogSinkFailed(Exception exception, string sensor);

    /// <param name="firstSequence">The first reading seen live, so the store's seed does not count it twice.</param>
    private sealed class Watched(ReadingCadence cadence, long firstSequence)
    {
        public ReadingCadence Cadence { get; } = cadence;

        public long FirstSequence { get; } = firstSequence;

        /// <summary>Reported silent, and no reading since.</summary>
        public bool Silent { get; set; }

        /// <summary>When the last reading came here (null for readings only seeded from the store).</summary>
        public DateTimeOffset? LastArrival { get; set; }
    }
}
