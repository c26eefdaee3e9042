using System.Threading.Channels;
using BlazorIot.Server.Live;
using BlazorIot.Server.Notifications;
using BlazorIot.Server.Notifications.Events;
using BlazorIot.Shared.Notifications;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Alerts;

/// <summary>
/// Watches every committed reading against its sensor's thresholds, keeps each sensor's current
/// alert, and writes the alert log. Evaluation runs on the hub's publishing thread and only
/// updates memory; the log is written by a background loop, in order, so ingest never waits on it.
/// Each start and end of an alert is raised to the notification sinks, once per transition.
/// </summary>
public sealed partial class AlertMonitor(
    SensorHub hub, AlertStore store, TimeProvider time, ILogger<AlertMonitor> logger, IEnumerable<INotificationSink> sinks) : BackgroundService
{
    private readonly INotificationSink[] sinks = [.. sinks];
    private readonly Lock gate = new();
    private readonly Dictionary<string, Thresholds> thresholds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActiveAlert> active = new(StringComparer.Ordinal);
    private readonly Channel<(string? Sensor, Func<CancellationToken, Task> Write)> log =
        Channel.CreateUnbounded<(string?, Func<CancellationToken, Task>)>(new() { SingleReader = true });
    private Action<string>[] listeners = [];
    private IDisposable? subscription;
    private ITimer? refresh;

    /// <summary>How soon thresholds set on another instance (or by another process) apply here.</summary>
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var stored = await store.LoadThresholdsAsync(cancellationToken);
        var open = await store.ListAsync(null, int.MaxValue, openOnly: true, cancellationToken);
        lock (gate)
        {
            foreach (var (sensor, limits) in stored)
            {
                thresholds[sensor] = limits;
            }
            foreach (var alert in open)
            {
                active[alert.Sensor] = new ActiveAlert(alert) { Id = alert.Id };
            }
        }
        subscription = hub.SubscribeAll(Evaluate);
        refresh = time.CreateTimer(_ => _ = ReloadThresholdsAsync(), null, RefreshEvery, RefreshEvery);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Takes the thresholds as the store has them now; tells listeners of each sensor whose thresholds changed.</summary>
    public async Task ReloadThresholdsAsync()
    {
        Dictionary<string, Thresholds> stored;
        try
        {
            stored = await store.LoadThresholdsAsync(CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogReloadFailed(exception);
            return;
        }
        var changed = new List<string>();
        lock (gate)
        {
            foreach (var sensor in thresholds.Keys.Union(stored.Keys).ToArray())
            {
                var now = stored.GetValueOrDefault(sensor, Thresholds.None);
                if (thresholds.GetValueOrDefault(sensor, Thresholds.None) != now)
                {
                    thresholds[sensor] = now;
                    changed.Add(sensor);
                }
            }
        }
        foreach (var sensor in changed)
        {
            Changed(sensor);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        subscription?.Dispose();
        refresh?.Dispose();
        log.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    public Thresholds ThresholdsOf(string sensor)
    {
        lock (gate)
        {
            return thresholds.GetValueOrDefault(sensor, Thresholds.None);
        }
    }

    /// <summary>The alert a sensor is in now, or null.</summary>
    public Alert? ActiveAlertOf(string sensor)
    {
        lock (gate)
        {
            return active.TryGetValue(sensor, out var alert) ? alert.Snapshot() : null;
        }
    }

    public async Task SetThresholdsAsync(string sensor, Thresholds limits, CancellationToken cancellationToken)
    {
        await store.SetThresholdsAsync(sensor, limits, time.GetUtcNow(), cancellationToken);
        lock (gate)
        {
            thresholds[sensor] = limits;
        }
        Changed(sensor);
    }

    /// <summary>
    /// Completes once every alert log write queued so far is done: a rename or deletion that waits
    /// for it moves or deletes alerts the log already holds, not ones still on their way.
    /// </summary>
    public async Task LoggedAsync(CancellationToken cancellationToken)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task Reached(CancellationToken _)
        {
            written.TrySetResult();
            return Task.CompletedTask;
        }
        // Refused only once the monitor has stopped: then nothing more is written.
        if (log.Writer.TryWrite((null, Reached)))
        {
            await written.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// After a stored rename: <paramref name="from"/>'s thresholds and open alert are now
    /// <paramref name="to"/>'s (the store decided which thresholds a merge keeps, and closed the old
    /// id's alert when the new id had one open).
    /// </summary>
    public async Task MovedAsync(string from, string to, CancellationToken cancellationToken)
    {
        var limits = await store.GetThresholdsAsync(to, cancellationToken);
        lock (gate)
        {
            thresholds.Remove(from);
            thresholds[to] = limits;
            if (active.Remove(from, out var alert) && !active.ContainsKey(to))
            {
                active[to] = alert.RenamedTo(to);
            }
        }
        Changed(from);
        Changed(to);
    }

    /// <summary>After a stored deletion: the sensor has no thresholds and no alert any more.</summary>
    public void Forget(string sensor)
    {
        lock (gate)
        {
            thresholds.Remove(sensor);
            active.Remove(sensor);
        }
        Changed(sensor);
    }

    /// <summary>Calls <paramref name="listener"/> with a sensor's id whenever its alert state or thresholds change. Must return at once.</summary>
    public IDisposable Subscribe(Action<string> listener)
    {
        lock (gate)
        {
            listeners = [.. listeners, listener];
        }
        return new Subscription(this, listener);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (sensor, write) in log.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                await write(CancellationToken.None);
                // Tell again once the log holds the change, for pages that list it.
                if (sensor is not null)
                {
                    Changed(sensor);
                }
            }
            catch (Exception exception)
            {
                LogWriteFailed(exception);
            }
        }
    }

    private void Evaluate(Reading reading)
    {
        bool changed;
        NotificationEvent? cleared = null;
        NotificationEvent? crossed = null;
        lock (gate)
        {
            var limits = thresholds.GetValueOrDefault(reading.Sensor, Thresholds.None);
            active.TryGetValue(reading.Sensor, out var current);
            var next = AlertRule.Next(limits, current?.Kind, reading.Value);
            changed = next != current?.Kind;
            if (current is not null && (changed || next is null))
            {
                active.Remove(reading.Sensor);
                var ended = reading.Timestamp;
                var peak = current.Peak;
                log.Writer.TryWrite((reading.Sensor, ct => store.CloseAsync(current.Id, ended, peak, ct)));
                current.Ended = ended;
                cleared = ThresholdEvents.Cleared(reading, current.Kind, limits);
            }
            else if (current is not null)
            {
                current.Observe(reading.Value);
            }
            if (changed && next is { } kind)
            {
                var threshold = kind == AlertKind.High ? limits.High!.Value : limits.Low!.Value;
                var started = new ActiveAlert(new Alert(0, reading.Sensor, kind, threshold, reading.Timestamp, null, reading.Value));
                active[reading.Sensor] = started;
                log.Writer.TryWrite((reading.Sensor, async ct => started.Id = await store.OpenAsync(started.Snapshot(), ct)));
                crossed = ThresholdEvents.Crossed(reading, kind, threshold);
            }
        }
        // Outside the gate: a sink that takes its time holds up only this reading's publication.
        Raise(cleared);
        Raise(crossed);
        if (changed)
        {
            Changed(reading.Sensor);
        }
    }

    private void Raise(NotificationEvent? notification) => sinks.RaiseToEach(notification, LogSinkFailed);

    private void Changed(string sensor)
    {
        Action<string>[] current;
        lock (gate)
        {
            current = listeners;
        }
        foreach (var listener in current)
        {
            try
            {
                listener(sensor);
            }
            catch (Exception exception)
            {
                LogListenerFailed(exception, sensor);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not re-read the alert thresholds; keeping the ones known.")]
    private partial void LogReloadFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing the alert log failed.")]
    private partial void LogWriteFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A notification sink failed to take an alert event of sensor {Sensor}.")]
    private partial void LogSinkFailed(Exception exception, string sensor);

    [LoggerMessage(Level = LogLevel.Error, Message = "An alert listener failed for sensor {Sensor}.")]
    private partial void LogListenerFailed(Exception exception, string sensor);

    // The close must find the id the open wrote: both go through the one log loop, in order.
    private sealed class ActiveAlert(Alert alert)
    {
        public ActiveAlert RenamedTo(string sensor) => new(alert with { Sensor = sensor, Peak = Peak }) { Id = Id };

        public long Id { get; set; }

        public AlertKind Kind { get; } = alert.Kind;

        public double Peak { get; private set; } = alert.Peak;

        public DateTimeOffset? Ended { get; set; }

        public void Observe(double value) => Peak = Kind == AlertKind.High ? Math.Max(Peak, value) : Math.Min(Peak, value);

        public Alert Snapshot() => alert with { Id = Id, Peak = Peak, Ended = Ended };
    }

    private sealed class Subscription(AlertMonitor monitor, Action<string> listener) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                lock (monitor.gate)
                {
                    monitor.listeners = Array.FindAll(monitor.listeners, l => l != listener);
                }
            }
        }
    }
}
