using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Dashboard;

/// <summary>
/// Takes readings on the hub's publishing thread and hands them to a component in batches, at
/// most one batch per <c>minInterval</c>: a burst of readings becomes one chart update, and the
/// publishing thread only appends to a list and queues the delivery to the thread pool. Only the
/// newest <c>capacity</c> readings are kept.
/// </summary>
internal sealed class ReadingBatcher : IDisposable
{
    /// <summary>At most ten chart updates a second.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    private readonly Lock gate = new();
    private readonly List<Reading> pending = [];
    private readonly TimeProvider time;
    private readonly TimeSpan minInterval;
    private readonly int capacity;
    private readonly Func<Func<Task>, Task> dispatch;
    private readonly Func<IReadOnlyList<Reading>, Task> deliver;
    private readonly ITimer timer;
    private long lastDelivery;
    private bool delivered;
    private bool scheduled;
    private bool disposed;

    /// <param name="dispatch">Runs work on the component's renderer (its <c>InvokeAsync</c>).</param>
    /// <param name="deliver">Gets each batch, oldest first, on the renderer.</param>
    public ReadingBatcher(TimeProvider time, TimeSpan minInterval, int capacity, Func<Func<Task>, Task> dispatch, Func<IReadOnlyList<Reading>, Task> deliver)
    {
        this.time = time;
        this.minInterval = minInterval;
        this.capacity = capacity;
        this.dispatch = dispatch;
        this.deliver = deliver;
        timer = time.CreateTimer(static state => ((ReadingBatcher)state!).Dispatch(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Add(Reading reading)
    {
        TimeSpan due;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }
            pending.Add(reading);
            if (pending.Count >= 2 * capacity)
            {
                pending.RemoveRange(0, pending.Count - capacity);
            }
            if (scheduled)
            {
                return;
            }
            scheduled = true;
            var sinceLast = delivered ? time.GetElapsedTime(lastDelivery) : TimeSpan.MaxValue;
            due = sinceLast >= minInterval ? TimeSpan.Zero : minInterval - sinceLast;
        }
        if (due == TimeSpan.Zero)
        {
            // Never on the publishing thread: it serves every circuit and every stream, and a
            // renderer that is idle would run the whole chart update inline.
            ThreadPool.UnsafeQueueUserWorkItem(static batcher => batcher.Dispatch(), this, preferLocal: false);
        }
        else
        {
            timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void Dispatch() => _ = dispatch(DeliverAsync);

    private Task DeliverAsync()
    {
        Reading[] batch;
        lock (gate)
        {
            if (disposed)
            {
                return Task.CompletedTask;
            }
            batch = pending.Count <= capacity ? [.. pending] : [.. pending[^capacity..]];
            pending.Clear();
            scheduled = false;
            delivered = true;
            lastDelivery = time.GetTimestamp();
        }
        return batch.Length == 0 ? Task.CompletedTask : deliver(batch);
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            pending.Clear();
        }
        timer.Dispose();
    }
}
