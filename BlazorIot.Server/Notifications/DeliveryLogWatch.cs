namespace BlazorIot.Server.Notifications;

/// <summary>Tells open pages that a channel's delivery log changed, so they can read it again.</summary>
public sealed partial class DeliveryLogWatch(ILogger<DeliveryLogWatch> logger)
{
    private readonly Lock gate = new();
    private Action<long>[] listeners = [];

    public IDisposable Subscribe(Action<long> channelChanged)
    {
        ArgumentNullException.ThrowIfNull(channelChanged);
        lock (gate)
        {
            listeners = [.. listeners, channelChanged];
        }
        return new Subscription(this, channelChanged);
    }

    /// <summary>Calls every listener on the caller's thread, outside any lock: a listener only marshals to its own page.</summary>
    public void Changed(long channelId)
    {
        foreach (var listener in Volatile.Read(ref listeners))
        {
            try
            {
                listener(channelId);
            }
            catch (Exception exception)
            {
                LogListenerFailed(channelId, exception);
            }
        }
    }

    private void Remove(Action<long> listener)
    {
        lock (gate)
        {
            var index = Array.IndexOf(listeners, listener);
            if (index >= 0)
            {
                listeners = [.. listeners[..index], .. listeners[(index + 1)..]];
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A listener to the delivery log of channel {ChannelId} failed.")]
    private partial void LogListenerFailed(long channelId, Exception exception);

    private sealed class Subscription(DeliveryLogWatch watch, Action<long> listener) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                watch.Remove(listener);
            }
        }
    }
}
