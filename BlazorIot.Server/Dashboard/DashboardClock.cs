using BlazorIot.Server.Live;

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
    private readonly SlotList<Listener> listeners = new();
    private readonly ITimer timer;

    public DashboardClock(TimeProvider time) =>
        timer = time.CreateTimer(static state => ((DashboardClock)state!).Tick(), this, Interval, Interval);

    /// <summary>Calls <paramref name="onTick"/> on every tick, as its own thread-pool work item, until the result is disposed.</summary>
    public IDisposable Subscribe(Action onTick)
    {
        var listener = new Listener(this, onTick);
        lock (gate)
        {
            listeners.Add(listener);
        }
        return listener;
    }

    /// <remarks>
    /// Each listener is queued rather than called in turn: a page whose marks changed renders in
    /// its tick, and a thousand renders in a row on the timer's thread would hold one core while
    /// the other idles, and make the last page wait for all the others.
    /// </remarks>
    private void Tick()
    {
        lock (gate)
        {
            foreach (var listener in listeners.Items)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static listener => listener.OnTick(), listener, preferLocal: false);
            }
        }
    }

    public void Dispose() => timer.Dispose();

    private sealed class Listener(DashboardClock clock, Action onTick) : ISlotted, IDisposable
    {
        public int Slot { get; set; } = -1;

        public void OnTick() => onTick();

        public void Dispose()
        {
            lock (clock.gate)
            {
                clock.listeners.Remove(this);
            }
        }
    }
}
