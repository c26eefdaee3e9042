using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Live;

/// <summary>
/// A Blazor circuit's door to the <see cref="SensorHub"/> (scoped: one per circuit). It owns the
/// circuit's subscriptions and releases any still open when the circuit ends, so a component
/// that forgets to unsubscribe cannot leave a dead circuit attached to the hub.
/// </summary>
public sealed class LiveFeed(SensorHub hub) : IDisposable
{
    private readonly Lock gate = new();
    private readonly HashSet<Subscription> open = [];
    private bool disposed;

    public IReadOnlyList<Reading> GetWindow(string sensor) => hub.GetWindow(sensor);

    /// <inheritdoc cref="SensorHub.Subscribe"/>
    public IDisposable Subscribe(string sensor, Action<Reading> handler) => Own(hub.Subscribe(sensor, handler));

    /// <inheritdoc cref="SensorHub.SubscribeAll"/>
    public IDisposable SubscribeAll(Action<Reading> handler) => Own(hub.SubscribeAll(handler));

    /// <inheritdoc cref="SensorHub.SubscribeChanges"/>
    public IDisposable SubscribeChanges(Action<SensorChange> handler) => Own(hub.SubscribeChanges(handler));

    /// <summary>Makes the circuit responsible for any other subscription (alerts, timers): released when the circuit ends.</summary>
    public IDisposable Own(IDisposable inner)
    {
        var subscription = new Subscription(this, inner);
        lock (gate)
        {
            if (!disposed)
            {
                open.Add(subscription);
                return subscription;
            }
        }
        subscription.Dispose();
        throw new ObjectDisposedException(nameof(LiveFeed));
    }

    public void Dispose()
    {
        Subscription[] left;
        lock (gate)
        {
            disposed = true;
            left = [.. open];
            open.Clear();
        }
        foreach (var subscription in left)
        {
            subscription.Dispose();
        }
    }

    private void Forget(Subscription subscription)
    {
        lock (gate)
        {
            open.Remove(subscription);
        }
    }

    private sealed class Subscription(LiveFeed feed, IDisposable inner) : IDisposable
    {
        public void Dispose()
        {
            inner.Dispose();
            feed.Forget(this);
        }
    }
}
