using System.Threading.Tasks.Sources;

namespace BlazorIot.Server.Live;

/// <summary>
/// One SSE client's queue of pre-encoded frames, filled by the hub without ever waiting and
/// drained by the client's writer at its own pace. Two policies:
/// <list type="bullet">
/// <item>coalescing (snapshot streams): one pending frame at most; a newer snapshot replaces it,
/// since each snapshot already carries the newest readings;</item>
/// <item>bounded (reading streams): up to <c>capacity</c> frames; one more ends the subscription,
/// and the client resumes from its last event id.</item>
/// </list>
/// When nothing was offered for a heartbeat interval, the writer gets <see cref="Heartbeat"/>.
/// </summary>
/// <remarks>
/// The writer waits through a reusable value-task source and takes every pending frame at once
/// (<see cref="TakeBatch"/>), so one flush carries them all and a reading costs a subscriber no
/// allocation: frames are shared by every subscriber, queues reuse their arrays, and several
/// frames are joined in a pooled buffer.
/// </remarks>
public sealed class FrameSubscriber : IDisposable, ISlotted, IValueTaskSource<bool>
{
    /// <summary>An SSE comment: ignored by EventSource, seen by proxies, so idle connections stay open.</summary>
    public static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();

    private readonly Lock gate = new();
    private readonly Queue<byte[]> frames = new();
    private readonly int capacity;
    private readonly bool coalesce;
    private readonly ITimer heartbeatTimer;
    private readonly Action<FrameSubscriber> unsubscribe;
    private readonly Operations.BlazorIotMetrics? metrics;
    private ManualResetValueTaskSourceCore<bool> waiter = new() { RunContinuationsAsynchronously = true };
    private bool waiting;
    private CancellationToken waitToken;
    private CancellationTokenRegistration registration;
    private CancellationToken registeredToken;
    private bool heartbeatDue;
    private bool offeredSinceTick;
    private bool ended;
    private bool finishing;
    private bool disposed;

    internal FrameSubscriber(TimeProvider time, TimeSpan heartbeatInterval, int capacity, bool coalesce, Action<FrameSubscriber> unsubscribe, Operations.BlazorIotMetrics? metrics = null, IReadOnlySet<string>? sensorFilter = null)
    {
        this.metrics = metrics;
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.capacity = coalesce ? 1 : capacity;
        this.coalesce = coalesce;
        this.unsubscribe = unsubscribe;
        SensorFilter = sensorFilter;
        heartbeatTimer = time.CreateTimer(static state => ((FrameSubscriber)state!).OnHeartbeatTick(), this, heartbeatInterval, heartbeatInterval);
    }

    /// <summary>Frames replaced by a newer one before the client took them (coalescing policy).</summary>
    public long Coalesced { get; private set; }

    /// <summary>True once a bounded queue overflowed and the subscription ended because of it.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>The sensors a reading stream wants, null for all (snapshot streams: unused).</summary>
    internal IReadOnlySet<string>? SensorFilter { get; }

    int ISlotted.Slot { get; set; } = -1;

    internal void Offer(byte[] frame)
    {
        lock (gate)
        {
            if (ended || finishing)
            {
                return;
            }
            if (frames.Count >= capacity)
            {
                if (!coalesce)
                {
                    metrics?.Dropped(frames.Count + 1);
                    Overflowed = true;
                    ended = true;
                    frames.Clear();
                }
                else
                {
                    metrics?.Coalesced(frames.Count);
                    Coalesced += frames.Count;
                    frames.Clear();
                }
            }
            if (!ended)
            {
                frames.Enqueue(frame);
            }
            offeredSinceTick = true;
            WakeLocked(!ended);
        }
    }

    /// <summary>
    /// Queues a last frame after what is pending and ends the subscription once it is taken: the
    /// client is told why its stream ends (its sensor was renamed or deleted). Nothing is offered after it.
    /// </summary>
    internal void Finish(byte[] frame)
    {
        lock (gate)
        {
            if (ended || finishing)
            {
                return;
            }
            finishing = true;
            frames.Enqueue(frame);
            WakeLocked(true);
        }
    }

    /// <summary>
    /// Completes with true when there is something to write (frames, or a heartbeat when idle),
    /// false once the subscription has ended. One waiter at a time.
    /// </summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> fires.</exception>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (ended || (finishing && frames.Count == 0))
            {
                return new ValueTask<bool>(false);
            }
            if (frames.Count > 0 || heartbeatDue)
            {
                return new ValueTask<bool>(true);
            }
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<bool>(cancellationToken);
            }
            if (waiting)
            {
                throw new InvalidOperationException("A frame subscriber has one writer.");
            }
            waiter.Reset();
            waiting = true;
            waitToken = cancellationToken;
            // A stream waits with the same token for its whole life: register once, not per wait.
            if (cancellationToken.CanBeCanceled && cancellationToken != registeredToken)
            {
                registration.Unregister();
                registeredToken = cancellationToken;
                registration = cancellationToken.UnsafeRegister(static state => ((FrameSubscriber)state!).OnCancelled(), this);
            }
            return new ValueTask<bool>(this, waiter.Version);
        }
    }

    /// <summary>
    /// Takes every pending frame (or the heartbeat, when idle) as one batch to write with one
    /// flush; <see cref="FrameBatch.IsEnd"/> once ended.
    /// </summary>
    public FrameBatch TakeBatch()
    {
        lock (gate)
        {
            if (ended || (finishing && frames.Count == 0))
            {
                ended = true;
                return FrameBatch.End;
            }
            var due = heartbeatDue;
            heartbeatDue = false;
            return frames.Count switch
            {
                0 => due ? FrameBatch.Single(Heartbeat) : FrameBatch.End,
                1 => FrameBatch.Single(frames.Dequeue()),
                _ => FrameBatch.Join(frames),
            };
        }
    }

    /// <summary>The next frame to write, <see cref="Heartbeat"/> when idle, or null once the subscription has ended.</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> fires.</exception>
    public async ValueTask<byte[]?> NextAsync(CancellationToken cancellationToken)
    {
        while (await WaitAsync(cancellationToken))
        {
            lock (gate)
            {
                if (ended || (finishing && frames.Count == 0))
                {
                    ended = true;
                    return null;
                }
                if (frames.TryDequeue(out var frame))
                {
                    heartbeatDue = false;
                    return frame;
                }
                if (heartbeatDue)
                {
                    heartbeatDue = false;
                    return Heartbeat;
                }
            }
        }
        return null;
    }

    private void WakeLocked(bool result)
    {
        if (waiting)
        {
            waiting = false;
            waiter.SetResult(result);
        }
    }

    private void OnCancelled()
    {
        lock (gate)
        {
            if (waiting && waitToken.IsCancellationRequested)
            {
                waiting = false;
                waiter.SetException(new OperationCanceledException(waitToken));
            }
        }
    }

    private void OnHeartbeatTick()
    {
        lock (gate)
        {
            if (ended || finishing)
            {
                return;
            }
            if (offeredSinceTick)
            {
                offeredSinceTick = false;
            }
            else
            {
                heartbeatDue = true;
                WakeLocked(true);
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }
            disposed = true;
            ended = true;
            frames.Clear();
            WakeLocked(false);
        }
        registration.Unregister();
        heartbeatTimer.Dispose();
        unsubscribe(this);
    }

    bool IValueTaskSource<bool>.GetResult(short token) => waiter.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => waiter.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        waiter.OnCompleted(continuation, state, token, flags);
}
