using BlazorIot.Shared.Notifications;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Notifications.Events;

/// <summary>The notification an alert's start or end makes, dated by the reading that caused it.</summary>
public static class ThresholdEvents
{
    public static NotificationEvent Crossed(Reading reading, AlertKind kind, double threshold) =>
        new(kind == AlertKind.High ? NotificationChange.AboveHigh : NotificationChange.BelowLow,
            reading.Sensor, reading.Timestamp, reading.Value, threshold, null);

    /// <summary>
    /// Null when the limit the alert crossed is no longer set: the alert then ends without the value
    /// having come back inside anything, and saying "cleared" would claim what nobody checked.
    /// </summary>
    public static NotificationEvent? Cleared(Reading reading, AlertKind kind, Thresholds limits) =>
        (kind == AlertKind.High ? limits.High : limits.Low) is { } threshold
            ? new(NotificationChange.Cleared, reading.Sensor, reading.Timestamp, reading.Value, threshold, null)
            : null;
}
