namespace BlazorIot.Server.Dashboard;

/// <summary>
/// The one-second tick for every open dashboard's time-driven marks (stale, readings per minute).
/// One timer for the process rather than one per circuit: the runtime's timer queue walks its
/// pending timers each time one fires, so a thousand open dashboards with a timer each cost it a
/// thousand walks of a thousand timers every second.
/// </summary>
public sealed class DashboardClock : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private readonly ITimer timer;
    private Action[] listeners = [];

    public DashboardClock(TimeProvider time) =>
        timer = time.CreateTimer(static state => ((DashboardClock)state!).Tick(), this, Interval, Interval);

    /// <summary>Calls <paramref name="onTick"/> on every tick, as its own thread-pool work item, until the result is disposed.</summary>
    public IDisposable Subscribe(Action onTick)
    {
        lock (gate)
        {
            listeners = [.. listeners, onTick];
        }
        return new Subscription(this, onTick);
    }

    private void Unsubscribe(Action onTick)
    {
        lock (gate)
        {
            var at = Array.IndexOf(listeners, onTick);
            if (at >= 0)
            {
                listeners = [.. listeners[..at], .. listeners[(at + 1)..]];
            }
        }
    }

    /// <remarks>
    /// Each listener is queued rather than called in turn: a page whose marks changed renders in
    /// its tick, and a thousand renders in a row on the timer's thread would hold one core while
    /// the other idles, and make the last page wait for all the others.
    /// </remarks>
    private void Tick()
    {
        foreach (var listener in Volatile.Read(ref listeners))
        {
            ThreadPool.UnsafeQueueUserWorkItem(static onTick => onTick(), listener, preferLocal: false);
        }
    }

    public void Dispose() => timer.Dispose();

    private sealed class Subscription(DashboardClock clock, Action onTick) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                clock.Unsubscribe(onTick);
            }
        }
    }
}
