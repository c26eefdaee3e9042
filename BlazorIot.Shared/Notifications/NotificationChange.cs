using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Notifications;

/// <summary>The transition a notification reports; each belongs to one <see cref="NotificationEventKind"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NotificationChange>))]
public enum NotificationChange
{
    /// <summary>The value went above the high threshold.</summary>
    [JsonStringEnumMemberName("above-high")]
    AboveHigh,

    /// <summary>The value went below the low threshold.</summary>
    [JsonStringEnumMemberName("below-low")]
    BelowLow,

    /// <summary>The value is back inside the thresholds (by the hysteresis).</summary>
    [JsonStringEnumMemberName("cleared")]
    Cleared,

    /// <summary>No reading for longer than the sensor's silence limit.</summary>
    [JsonStringEnumMemberName("silent")]
    Silent,

    /// <summary>A reading again after the sensor was silent.</summary>
    [JsonStringEnumMemberName("back")]
    Back,
}
