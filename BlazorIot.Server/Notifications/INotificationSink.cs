using BlazorIot.Shared.Notifications;

namespace BlazorIot.Server.Notifications;

/// <summary>Takes each transition worth telling someone about, from the threshold monitor and the silence watch.</summary>
public interface INotificationSink
{
    /// <summary>Takes one event; returns at once (it may be called under a lock, on the hub's publishing thread).</summary>
    void Raise(NotificationEvent notification);
}
