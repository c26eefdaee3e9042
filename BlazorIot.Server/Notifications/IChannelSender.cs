using BlazorIot.Shared.Notifications;

namespace BlazorIot.Server.Notifications;

/// <summary>Sends one message (one or more events, or a test) to a channel of its <see cref="Kind"/>, once.</summary>
public interface IChannelSender
{
    ChannelKind Kind { get; }

    /// <summary>
    /// Tries once; never throws for a receiver's failure (that is a <see cref="DeliveryAttempt"/>),
    /// only for cancellation. <paramref name="messageId"/> is stable across retries of one message.
    /// </summary>
    Task<DeliveryAttempt> SendAsync(
        NotificationChannel channel, long messageId, IReadOnlyList<NotificationEvent> events, bool test, CancellationToken cancellationToken);
}
