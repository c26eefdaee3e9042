using System.Globalization;
using BlazorIot.Shared.Notifications;

namespace BlazorIot.Server.Dashboard.Notifications;

/// <summary>How the notification settings word channel kinds, events and delivery results.</summary>
internal static class ChannelText
{
    public static IReadOnlyList<ChannelKind> Kinds { get; } = Enum.GetValues<ChannelKind>();

    public static IReadOnlyList<NotificationEventKind> EventKinds { get; } = Enum.GetValues<NotificationEventKind>();

    public static string Kind(ChannelKind kind) => kind switch
    {
        ChannelKind.Webhook => "Webhook",
        ChannelKind.Slack => "Slack",
        ChannelKind.Discord => "Discord",
        ChannelKind.Ntfy => "ntfy",
        ChannelKind.Email => "E-mail",
        _ => kind.ToString(),
    };

    public static string Event(NotificationEventKind kind) => kind switch
    {
        NotificationEventKind.Threshold => "Threshold crossed or cleared",
        NotificationEventKind.Silent => "Sensor silent",
        NotificationEventKind.Back => "Sensor back",
        _ => kind.ToString(),
    };

    public static string Events(IReadOnlyList<NotificationEventKind> events) =>
        events.Count == 0 || events.Count == EventKinds.Count ? "all events" : string.Join(", ", events.Select(Event));

    public static string Status(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending => "pending",
        DeliveryStatus.Delivered => "delivered",
        DeliveryStatus.Failed => "failed",
        _ => status.ToString(),
    };

    /// <summary>One event as a line of the delivery log: which sensor, what changed, and the numbers behind it.</summary>
    public static string Change(NotificationEvent notification) => notification.Change switch
    {
        NotificationChange.AboveHigh => $"{notification.Sensor} above {Number(notification.Threshold)}{Value(notification.Value)}",
        NotificationChange.BelowLow => $"{notification.Sensor} below {Number(notification.Threshold)}{Value(notification.Value)}",
        NotificationChange.Cleared => $"{notification.Sensor} back within its thresholds{Value(notification.Value)}",
        NotificationChange.Silent => $"{notification.Sensor} silent",
        NotificationChange.Back => $"{notification.Sensor} reporting again{Value(notification.Value)}",
        _ => $"{notification.Sensor} {notification.Change}",
    };

    /// <summary>Where a channel sends: its URL (cut short by the server when it is a secret) or its recipients.</summary>
    public static string Target(ChannelView channel) => channel.Kind == ChannelKind.Email && channel.Email is { } email
        ? $"{string.Join(", ", email.To)} via {email.Host}:{email.Port.ToString(CultureInfo.InvariantCulture)}"
        : channel.Url ?? "";

    private static string Value(double? value) => value is { } v ? $" (value {DashboardText.Value(v)})" : "";

    private static string Number(double? value) => value is { } v ? DashboardText.Value(v) : "its threshold";
}
