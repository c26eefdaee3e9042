using BlazorIot.Shared.Legacy;
using BlazorIot.Shared.Readings;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Live;

/// <summary>
/// The live state of every sensor: the newest readings of each, the sequence counter, and the
/// subscribers that get each new reading as it is published — SSE snapshot clients (one frame
/// encoded per reading, the same bytes for all) and C# handlers (Blazor circuits).
/// </summary>
/// <remarks>
/// Publication happens under one lock so that every subscriber sees readings in sequence order.
/// Nothing under that lock waits: snapshot subscribers only swap a pending frame, and handlers
/// must return at once (Blazor components hand the reading to their renderer and return).
/// </remarks>
public sealed partial class SensorHub(IOptions<LiveOptions> options, TimeProvider time, ILogger<SensorHub> logger)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, SensorState> sensors = new(StringComparer.Ordinal);
    private readonly int windowSize = options.Value.WindowSize;
    private long sequence;

    /// <summary>Snapshot subscribers plus C# handlers, over all sensors.</summary>
    public int SubscriberCount
    {
        get
        {
            lock (gate)
            {
                return sensors.Values.Sum(s => s.Snapshots.Length + s.Handlers.Length);
            }
        }
    }

    /// <summary>The ids of the sensors that have readings, in no particular order.</summary>
    public IReadOnlyList<string> Sensors
    {
        get
        {
            lock (gate)
            {
                return sensors.Where(s => s.Value.Window.Count > 0).Select(s => s.Key).ToArray();
            }
        }
    }

    /// <summary>Gives the reading the next sequence id, keeps it in its sensor's window and hands it to every subscriber of that sensor.</summary>
    public Reading Publish(string sensor, double value, DateTimeOffset timestamp)
    {
        lock (gate)
        {
            var state = GetOrAddState(sensor);
            var reading = new Reading(++sequence, sensor, value, timestamp);
            state.Window.Add(reading);
            state.SnapshotFrame = null;

            if (state.Snapshots.Length > 0)
            {
                var frame = CurrentSnapshotFrame(state);
                foreach (var subscriber in state.Snapshots)
                {
                    subscriber.Offer(frame);
                }
            }
            foreach (var handler in state.Handlers)
            {
                try
                {
                    handler(reading);
                }
                catch (Exception exception)
                {
                    LogHandlerFailed(exception, sensor);
                }
            }
            return reading;
        }
    }

    /// <summary>The newest readings of <paramref name="sensor"/>, oldest first; empty for an unknown sensor.</summary>
    public IReadOnlyList<Reading> GetWindow(string sensor)
    {
        lock (gate)
        {
            return sensors.TryGetValue(sensor, out var state) ? state.Window.ToArray() : [];
        }
    }

    /// <summary>
    /// Starts a snapshot stream of <paramref name="sensor"/>. The current snapshot, when the
    /// sensor has readings, is already pending, so a new client sees the data at once.
    /// Dispose the subscriber to end it.
    /// </summary>
    public SnapshotSubscriber SubscribeSnapshots(string sensor, TimeSpan heartbeatInterval)
    {
        var subscriber = new SnapshotSubscriber(sensor, time, heartbeatInterval, RemoveSnapshotSubscriber);
        lock (gate)
        {
            var state = GetOrAddState(sensor);
            state.Snapshots = [.. state.Snapshots, subscriber];
            if (state.Window.Count > 0)
            {
                subscriber.Offer(CurrentSnapshotFrame(state));
            }
        }
        return subscriber;
    }

    /// <summary>
    /// Calls <paramref name="handler"/> with every reading of <paramref name="sensor"/> published
    /// from now on, in sequence order, on the publishing thread. Dispose the result to stop.
    /// </summary>
    public IDisposable Subscribe(string sensor, Action<Reading> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new HandlerSubscription(this, sensor, handler);
        lock (gate)
        {
            var state = GetOrAddState(sensor);
            state.Handlers = [.. state.Handlers, handler];
        }
        return subscription;
    }

    private byte[] CurrentSnapshotFrame(SensorState state) =>
        state.SnapshotFrame ??= LegacySnapshot.From(state.Window.ToArray(), time.LocalTimeZone).ToSseFrame();

    private SensorState GetOrAddState(string sensor)
    {
        if (!sensors.TryGetValue(sensor, out var state))
        {
            state = new SensorState(new SensorWindow(windowSize));
            sensors.Add(sensor, state);
        }
        return state;
    }

    private void RemoveSnapshotSubscriber(SnapshotSubscriber subscriber)
    {
        lock (gate)
        {
            if (sensors.TryGetValue(subscriber.Sensor, out var state))
            {
                state.Snapshots = Array.FindAll(state.Snapshots, s => s != subscriber);
                ForgetIfUnused(subscriber.Sensor, state);
            }
        }
    }

    private void RemoveHandler(string sensor, Action<Reading> handler)
    {
        lock (gate)
        {
            if (sensors.TryGetValue(sensor, out var state))
            {
                var index = Array.IndexOf(state.Handlers, handler);
                if (index >= 0)
                {
                    state.Handlers = [.. state.Handlers[..index], .. state.Handlers[(index + 1)..]];
                }
                ForgetIfUnused(sensor, state);
            }
        }
    }

    // A client may watch a sensor that never reports; its empty state must not outlive it.
    private void ForgetIfUnused(string sensor, SensorState state)
    {
        if (state.Window.Count == 0 && state.Snapshots.Length == 0 && state.Handlers.Length == 0)
        {
            sensors.Remove(sensor);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A live handler of sensor {Sensor} failed; the reading was still published to the others.")]
    private partial void LogHandlerFailed(Exception exception, string sensor);

    private sealed class SensorState(SensorWindow window)
    {
        public SensorWindow Window { get; } = window;

        public SnapshotSubscriber[] Snapshots { get; set; } = [];

        public Action<Reading>[] Handlers { get; set; } = [];

        public byte[]? SnapshotFrame { get; set; }
    }

    private sealed class HandlerSubscription(SensorHub hub, string sensor, Action<Reading> handler) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                hub.RemoveHandler(sensor, handler);
            }
        }
    }
}
