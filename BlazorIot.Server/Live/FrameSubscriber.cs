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
public sealed class FrameSubscriber : IDisposable
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
    private bool heartbeatDue;
    private bool offeredSinceTick;
    private bool ended;
    private TaskCompletionSource? waiter;

    internal FrameSubscriber(TimeProvider time, TimeSpan heartbeatInterval, int capacity, bool coalesce, Action<FrameSubscriber> unsubscribe, Operations.BlazorIotMetrics? metrics = null)
    {
        this.metrics = metrics;
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.capacity = coalesce ? 1 : capacity;
        this.coalesce = coalesce;
        this.unsubscribe = unsubscribe;
        heartbeatTimer = time.CreateTimer(static state => ((FrameSubscriber)state!).OnHeartbeatTick(), this, heartbeatInterval, heartbeatInterval);
    }

    /// <summary>Frames replaced by a newer one before the client took them (coalescing policy).</summary>
    public long Coalesced { get; private set; }

    /// <summary>True once a bounded queue overflowed and the subscription ended because of it.</summary>
    public bool Overflowed { get; private set; }

    internal void Offer(byte[] frame)
    {
        TaskCompletionSource? wake;
        lock (gate)
        {
            if (ended)
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
            wake = waiter;
            waiter = null;
        }
        wake?.TrySetResult();
    }

    /// <summary>The next frame to write, <see cref="Heartbeat"/> when idle, or null once the subscription has ended.</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> fires.</exception>
    public async ValueTask<byte[]?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (gate)
            {
                if (ended)
                {
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
                waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = waiter.Task;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void OnHeartbeatTick()
    {
        TaskCompletionSource? wake = null;
        lock (gate)
        {
            if (ended)
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
                wake = waiter;
                waiter = null;
            }
        }
        wake?.TrySetResult();
    }

    public void Dispose()
    {
        TaskCompletionSource? wake;
        lock (gate)
        {
            ended = true;
            frames.Clear();
            wake = waiter;
            waiter = null;
        }
        heartbeatTimer.Dispose();
        unsubscribe(this);
        wake?.TrySetResult();
    }
}
