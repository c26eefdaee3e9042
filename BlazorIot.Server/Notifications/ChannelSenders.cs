using BlazorIot.Shared.Notifications;

namespace BlazorIot.Server.Notifications;

/// <summary>The registered sender of each channel kind.</summary>
public sealed partial class ChannelSenders(IEnumerable<IChannelSender> senders, ILogger<ChannelSenders> logger)
{
    private readonly Dictionary<ChannelKind, IChannelSender> byKind = senders
        .GroupBy(sender => sender.Kind)
        .ToDictionary(group => group.Key, group => group.Last());

    /// <summary>Tries once through the kind's sender; a kind with no sender is a failure worth retrying (a later version may bring one).</summary>
    public async Task<DeliveryAttempt> SendAsync(
        NotificationChannel channel, long messageId, IReadOnlyList<NotificationEvent> events, bool test, CancellationToken cancellationToken)
    {
        if (!byKind.TryGetValue(channel.Kind, out var sender))
        {
            return new DeliveryAttempt(false, null, null, $"This server has no sender for {channel.Kind.ToString().ToLowerInvariant()} channels.", null, Permanent: false);
        }
        try
        {
            return await sender.SendAsync(channel, messageId, events, test, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A sender should answer with a failed attempt; one that throws still must not stop the outbox.
            LogSenderFailed(channel.Kind, channel.Id, exception);
            return new DeliveryAttempt(false, null, null, $"The {channel.Kind.ToString().ToLowerInvariant()} sender failed: {exception.Message}", null, Permanent: false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Kind} sender threw while sending to channel {ChannelId}.")]
    private partial void LogSenderFailed(ChannelKind kind, long channelId, Exception exception);
}
