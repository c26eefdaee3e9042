using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Notifications;

/// <summary>
/// One transition of one sensor, as every channel kind reports it. Threshold events carry the
/// value and the threshold; silence events the last reading's time; "back" the new value.
/// </summary>
public sealed record NotificationEvent(
    [property: JsonPropertyName("change")] NotificationChange Change,
    [property: JsonPropertyName("sensor")] string Sensor,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("value")] double? Value,
    [property: JsonPropertyName("threshold")] double? Threshold,
    [property: JsonPropertyName("lastReading")] DateTimeOffset? LastReading)
{
    [JsonPropertyName("event")]
    public NotificationEventKind Kind => Change switch
    {
        NotificationChange.Silent => NotificationEventKind.Silent,
        NotificationChange.Back => NotificationEventKind.Back,
        _ => NotificationEventKind.Threshold,
    };
}
