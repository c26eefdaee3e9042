using BlazorIot.Shared.Notifications;

namespace BlazorIot.Server.Notifications;

/// <summary>Hands an event to every sink; one that fails does not keep it from the others.</summary>
public static class NotificationSinks
{
    public static void RaiseToEach(this INotificationSink[] sinks, NotificationEvent? notification, Action<Exception, string> failed)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(failed);
        if (notification is null)
        {
            return;
        }
        foreach (var sink in sinks)
        {
            try
            {
                sink.Raise(notification);
            }
            catch (Exception exception)
            {
                failed(exception, notification.Sensor);
            }
        }
    }
}
