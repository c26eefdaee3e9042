using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Notifications;

/// <summary>What a channel can be told about; a channel chooses a subset (all when it chooses none).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NotificationEventKind>))]
public enum NotificationEventKind
{
    /// <summary>A threshold was crossed, or the value came back inside it (with the hysteresis).</summary>
    [JsonStringEnumMemberName("threshold")]
    Threshold,

    /// <summary>A sensor sent nothing for longer than its silence limit.</summary>
    [JsonStringEnumMemberName("silent")]
    Silent,

    /// <summary>A silent sensor sent a reading again.</summary>
    [JsonStringEnumMemberName("back")]
    Back,
}
