using BlazorIot.Shared.Notifications;

namespace BlazorIot.Server.Notifications;

/// <summary>A pending message the dispatcher has claimed for one try; <see cref="Attempts"/> counts this try.</summary>
public sealed record OutboxMessage(long Id, long ChannelId, DateTimeOffset Created, IReadOnlyList<NotificationEvent> Events, int Attempts);
