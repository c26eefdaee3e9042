namespace BlazorIot.Server.Notifications;

/// <summary>A channel's oldest pending message, due now.</summary>
public sealed record OutboxEntry(long MessageId, long ChannelId);
