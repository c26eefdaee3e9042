using BlazorIot.Shared.Legacy;
using BlazorIot.Shared.Readings;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Live;

/// <summary>
/// The live state of every sensor: the newest readings of each, and the subscribers that get each
/// committed reading as it is published — SSE snapshot streams and reading streams (each frame
/// encoded once, the same bytes for all) and C# handlers (Blazor circuits).
/// </summary>
/// <remarks>
/// Readings arrive from the store's single writer in sequence order, after commit. Publication
/// happens under one lock, so every subscriber sees readings in that order and a new reading
/// stream can learn atomically which sequence id its live part starts after. Nothing under the
/// lock waits: frame subscribers only queue a frame, and handlers must return at once (Blazor
/// components hand the reading to their renderer and return).
/// </remarks>
public sealed partial class SensorHub(IOptions<LiveOptions> options, TimeProvider time, ILogger<SensorHub> logger, Operations.BlazorIotMetrics? metrics = null)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, SensorState> sensors = new(StringComparer.Ordinal);
    private readonly int windowSize = options.Value.WindowSize;
    private readonly SlotList<FrameSubscriber> readingStreams = new();
    private Action<Reading>[] everyReadingHandlers = [];
    private Action<SensorChange>[] changeHandlers = [];
    private long lastSequence;
    private long publishBatch;
    private readonly List<SensorState> touched = [];

    /// <summary>The sequence id of the newest reading published (or restored).</summary>
    public long LastSequence
    {
        get
        {
            lock (gate)
            {
                return lastSequence;
            }
        }
    }

    /// <summary>Snapshot streams, reading streams and C# handlers, over all sensors.</summary>
    public int SubscriberCount
    {
        get
        {
            lock (gate)
            {
                return readingStreams.Count + everyReadingHandlers.Length + sensors.Values.Sum(s => s.Snapshots.Count + s.Handlers.Length);
            }
        }
    }

    /// <summary>Open SSE streams (snapshot and reading streams), over all sensors.</summary>
    public int StreamCount
    {
        get
        {
            lock (gate)
            {
                return readingStreams.Count + sensors.Values.Sum(s => s.Snapshots.Count);
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

    /// <summary>Fills the windows from the store at start-up, without publishing anything.</summary>
    /// <param name="recent">Stored readings in sequence order.</param>
    /// <param name="lastStoredSequence">The highest sequence id the store ever gave.</param>
    public void Restore(IEnumerable<Reading> recent, long lastStoredSequence)
    {
        lock (gate)
        {
            foreach (var reading in recent)
            {
                GetOrAddState(reading.Sensor).Window.Add(reading);
            }
            foreach (var state in sensors.Values)
            {
                state.SnapshotFrame = null;
            }
            lastSequence = Math.Max(lastSequence, lastStoredSequence);
        }
    }

    /// <summary>Keeps a committed reading in its sensor's window and hands it to every subscriber that wants it.</summary>
    /// <exception cref="ArgumentException">When its sequence id is not above the last one published.</exception>
    public void Publish(Reading reading) => Publish([reading]);

    /// <summary>
    /// Keeps the readings of one commit, in sequence order, in their sensors' windows and hands
    /// them on: each snapshot stream gets one snapshot per sensor touched (the newest already
    /// holds the rest), each reading stream a frame per reading, each handler every reading.
    /// </summary>
    /// <exception cref="ArgumentException">When the sequence ids are not increasing from the last one published; nothing is published then.</exception>
    public void Publish(ReadOnlySpan<Reading> readings)
    {
        lock (gate)
        {
            var previous = lastSequence;
            foreach (var reading in readings)
            {
                if (reading.Sequence <= previous)
                {
                    throw new ArgumentException($"Reading {reading.Sequence} is not after {previous}: readings are published in sequence order.", nameof(readings));
                }
                previous = reading.Sequence;
            }
            var batch = ++publishBatch;
            touched.Clear();
            foreach (var reading in readings)
            {
                lastSequence = reading.Sequence;
                var state = GetOrAddState(reading.Sensor);
                state.Window.Add(reading);
                state.SnapshotFrame = null;
                if (state.Batch != batch)
                {
                    state.Batch = batch;
                    touched.Add(state);
                }
            }
            foreach (var state in touched)
            {
                if (state.Snapshots.Count > 0)
                {
                    var frame = CurrentSnapshotFrame(state);
                    foreach (var subscriber in state.Snapshots.Items)
                    {
                        subscriber.Offer(frame);
                    }
                }
            }
            foreach (var reading in readings)
            {
                byte[]? readingFrame = null;
                foreach (var stream in readingStreams.Items)
                {
                    if (stream.SensorFilter is null || stream.SensorFilter.Contains(reading.Sensor))
                    {
                        stream.Offer(readingFrame ??= ReadingFrame.Encode(reading));
                    }
                }
                // Sensor-wide handlers first: alert evaluation then is current when a card shows the reading.
                Notify(everyReadingHandlers, reading);
                Notify(sensors[reading.Sensor].Handlers, reading);
            }
            touched.Clear();
        }
    }

    private void Notify(Action<Reading>[] handlers, Reading reading)
    {
        foreach (var handler in handlers)
        {
            try
            {
                handler(reading);
            }
            catch (Exception exception)
            {
                LogHandlerFailed(exception, reading.Sensor);
            }
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
    public FrameSubscriber SubscribeSnapshots(string sensor, TimeSpan heartbeatInterval)
    {
        var subscriber = new FrameSubscriber(time, heartbeatInterval, 1, coalesce: true, s => RemoveSnapshotStream(sensor, s), metrics);
        lock (gate)
        {
            var state = GetOrAddState(sensor);
            state.Snapshots.Add(subscriber);
            if (state.Window.Count > 0)
            {
                subscriber.Offer(CurrentSnapshotFrame(state));
            }
        }
        return subscriber;
    }

    /// <summary>
    /// Starts a reading stream of the given sensors (all when null). Atomically with the
    /// registration it returns the sequence id the live part starts after, and the windows at
    /// that instant: every reading after that id will reach the subscriber, none at or before it.
    /// </summary>
    public ReadingStreamStart SubscribeReadings(IReadOnlySet<string>? sensorFilter, TimeSpan heartbeatInterval, int capacity)
    {
        var subscriber = new FrameSubscriber(time, heartbeatInterval, capacity, coalesce: false, RemoveReadingStream, metrics, sensorFilter);
        lock (gate)
        {
            readingStreams.Add(subscriber);
            var windows = sensors
                .Where(s => sensorFilter is null || sensorFilter.Contains(s.Key))
                .SelectMany(s => s.Value.Window.ToArray())
                .OrderBy(r => r.Sequence)
                .ToArray();
            return new ReadingStreamStart(subscriber, lastSequence, windows);
        }
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

    /// <summary>Like <see cref="Subscribe"/>, for the readings of every sensor (the dashboard's sensor list, alert evaluation).</summary>
    public IDisposable SubscribeAll(Action<Reading> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (gate)
        {
            everyReadingHandlers = [.. everyReadingHandlers, handler];
        }
        return new Unsubscriber(() =>
        {
            lock (gate)
            {
                var index = Array.IndexOf(everyReadingHandlers, handler);
                if (index >= 0)
                {
                    everyReadingHandlers = [.. everyReadingHandlers[..index], .. everyReadingHandlers[(index + 1)..]];
                }
            }
        });
    }

    /// <summary>
    /// Calls <paramref name="handler"/> with every change to a sensor other than a reading (described,
    /// renamed, deleted, history imported), on the changing thread. Dispose the result to stop.
    /// </summary>
    public IDisposable SubscribeChanges(Action<SensorChange> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (gate)
        {
            changeHandlers = [.. changeHandlers, handler];
        }
        return new Unsubscriber(() =>
        {
            lock (gate)
            {
                var index = Array.IndexOf(changeHandlers, handler);
                if (index >= 0)
                {
                    changeHandlers = [.. changeHandlers[..index], .. changeHandlers[(index + 1)..]];
                }
            }
        });
    }

    /// <summary>Tells every view that a sensor's description changed (it is already stored).</summary>
    public void Described(SensorInfo sensor)
    {
        lock (gate)
        {
            NotifyChange(new SensorChange(SensorChangeKind.Described, sensor.Id, Info: sensor));
        }
    }

    /// <summary>
    /// After a stored rename: <paramref name="from"/>'s streams end with an <c>event: renamed</c>
    /// naming the new id, and <paramref name="to"/>'s window becomes <paramref name="window"/> (its
    /// newest stored readings, oldest first, merged histories included).
    /// </summary>
    public void Renamed(string from, SensorInfo to, IReadOnlyList<Reading> window)
    {
        var frame = System.Text.Encoding.UTF8.GetBytes($"event: renamed\ndata: {{\"sensor\":\"{from}\",\"to\":\"{to.Id}\"}}\n\n");
        lock (gate)
        {
            EndStreamsOf(from, frame);
            var state = GetOrAddState(to.Id);
            state.Window.Clear();
            foreach (var reading in window)
            {
                state.Window.Add(reading);
            }
            state.SnapshotFrame = null;
            NotifyChange(new SensorChange(SensorChangeKind.Renamed, from, to.Id, to));
        }
    }

    /// <summary>After a stored deletion: the sensor leaves every view, and its streams end with an <c>event: deleted</c>.</summary>
    public void Deleted(string sensor)
    {
        var frame = System.Text.Encoding.UTF8.GetBytes($"event: deleted\ndata: {{\"sensor\":\"{sensor}\"}}\n\n");
        lock (gate)
        {
            EndStreamsOf(sensor, frame);
            NotifyChange(new SensorChange(SensorChangeKind.Deleted, sensor));
        }
    }

    /// <summary>
    /// After readings were added to a sensor's history without being published (an import): its
    /// window becomes its newest stored readings, and views reload their ranges. Streams get nothing.
    /// </summary>
    public void HistoryChanged(string sensor, IReadOnlyList<Reading> window)
    {
        lock (gate)
        {
            var state = GetOrAddState(sensor);
            state.Window.Clear();
            foreach (var reading in window)
            {
                state.Window.Add(reading);
            }
            state.SnapshotFrame = null;
            ForgetIfUnused(sensor, state);
            NotifyChange(new SensorChange(SensorChangeKind.HistoryChanged, sensor));
        }
    }

    // Under the gate. A stream that asked for this sensor by name ends (with its reason); a stream of
    // every sensor goes on. The sensor's live state goes: a reading arriving later starts it anew.
    private void EndStreamsOf(string sensor, byte[] frame)
    {
        foreach (var stream in readingStreams.Items)
        {
            if (stream.SensorFilter?.Contains(sensor) == true)
            {
                stream.Finish(frame);
            }
        }
        if (sensors.Remove(sensor, out var state))
        {
            foreach (var subscriber in state.Snapshots.Items)
            {
                subscriber.Finish(frame);
            }
            // Handlers (circuits) hear of it through the change and unsubscribe; until they do they stay registered.
            if (state.Handlers.Length > 0)
            {
                var fresh = new SensorState(new SensorWindow(windowSize)) { Handlers = state.Handlers };
                sensors.Add(sensor, fresh);
            }
        }
    }

    private void NotifyChange(SensorChange change)
    {
        foreach (var handler in changeHandlers)
        {
            try
            {
                handler(change);
            }
            catch (Exception exception)
            {
                LogHandlerFailed(exception, change.Sensor);
            }
        }
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

    private void RemoveSnapshotStream(string sensor, FrameSubscriber subscriber)
    {
        lock (gate)
        {
            if (sensors.TryGetValue(sensor, out var state))
            {
                state.Snapshots.Remove(subscriber);
                ForgetIfUnused(sensor, state);
            }
        }
    }

    private void RemoveReadingStream(FrameSubscriber subscriber)
    {
        lock (gate)
        {
            readingStreams.Remove(subscriber);
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
        if (state.Window.Count == 0 && state.Snapshots.Count == 0 && state.Handlers.Length == 0)
        {
            sensors.Remove(sensor);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A live handler of sensor {Sensor} failed; the reading was still published to the others.")]
    private partial void LogHandlerFailed(Exception exception, string sensor);

    private sealed class SensorState(SensorWindow window)
    {
        public SensorWindow Window { get; } = window;

        public SlotList<FrameSubscriber> Snapshots { get; } = new();

        public Action<Reading>[] Handlers { get; set; } = [];

        public byte[]? SnapshotFrame { get; set; }

        /// <summary>The last publication that touched this sensor, so each gets one snapshot per commit.</summary>
        public long Batch { get; set; }
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

    private sealed class Unsubscriber(Action remove) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                remove();
            }
        }
    }
}
