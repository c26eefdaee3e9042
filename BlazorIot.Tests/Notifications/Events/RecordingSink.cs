using System.Collections.Concurrent;
using BlazorIot.Server.Notifications;
using BlazorIot.Shared.Notifications;

namespace BlazorIot.Tests.Notifications.Events;

/// <summary>A notification sink that keeps every event it is given, in order, for the test to read.</summary>
public sealed class RecordingSink : INotificationSink
{
    private readonly ConcurrentQueue<NotificationEvent> events = new();

    public IReadOnlyList<NotificationEvent> Events => [.. events];

    public void Raise(NotificationEvent notification) => events.Enqueue(notification);
}
