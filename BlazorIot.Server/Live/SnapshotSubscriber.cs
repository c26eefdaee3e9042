namespace BlazorIot.Server.Live;

/// <summary>
/// One SSE client of a snapshot stream. It holds at most one pending frame: each snapshot
/// already carries the newest readings, so a client that falls behind only needs the latest
/// one. The hub offers frames without ever waiting; the client's writer takes them at its own
/// pace with <see cref="NextAsync"/>. When nothing was offered for a heartbeat interval, the
/// writer gets <see cref="Heartbeat"/> so idle proxies keep the connection open.
/// </summary>
public sealed class SnapshotSubscriber : IDisposable
{
    /// <summary>An SSE comment: ignored by EventSource, seen by proxies.</summary>
    public static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();

    private readonly Lock gate = new();
    private readonly ITimer heartbeatTimer;
    private readonly Action<SnapshotSubscriber> unsubscribe;
    private byte[]? pending;
    private bool heartbeatDue;
    private bool offeredSinceTick;
    private bool disposed;
    private TaskCompletionSource? waiter;

    internal SnapshotSubscriber(string sensor, TimeProvider time, TimeSpan heartbeatInterval, Action<SnapshotSubscriber> unsubscribe)
    {
        Sensor = sensor;
        this.unsubscribe = unsubscribe;
        heartbeatTimer = time.CreateTimer(static state => ((SnapshotSubscriber)state!).OnHeartbeatTick(), this, heartbeatInterval, heartbeatInterval);
    }

    public string Sensor { get; }

    /// <summary>Snapshots replaced by a newer one before this client took them.</summary>
    public long Coalesced { get; private set; }

    internal void Offer(byte[] frame)
    {
        TaskCompletionSource? wake;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }
            if (pending is not null)
            {
                Coalesced++;
            }
            pending = frame;
            offeredSinceTick = true;
            wake = waiter;
            waiter = null;
        }
        wake?.TrySetResult();
    }

    /// <summary>The next frame to write: the newest snapshot, or <see cref="Heartbeat"/>.</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> fires.</exception>
    /// <exception cref="ObjectDisposedException">When the subscription has ended.</exception>
    public async ValueTask<byte[]> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                if (pending is { } frame)
                {
                    pending = null;
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
            if (disposed)
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
            if (disposed)
            {
                return;
            }
            disposed = true;
            pending = null;
            wake = waiter;
            waiter = null;
        }
        heartbeatTimer.Dispose();
        unsubscribe(this);
        wake?.TrySetResult();
    }
}
