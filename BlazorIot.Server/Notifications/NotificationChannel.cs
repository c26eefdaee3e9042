using BlazorIot.Shared.Notifications;

namespace BlazorIot.Server.Notifications;

/// <summary>A channel as stored, secret included: only senders see it whole.</summary>
public sealed record NotificationChannel(
    long Id,
    string Name,
    ChannelKind Kind,
    string? Url,
    string? Secret,
    IReadOnlyList<string>? Sensors,
    IReadOnlyList<NotificationEventKind> Events,
    EmailSettings? Email,
    DateTimeOffset Created);
