using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Readings;

/// <summary>One alert of the log: a sensor outside a threshold from <see cref="Started"/> until <see cref="Ended"/> (null while it lasts).</summary>
public sealed record Alert(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("sensor")] string Sensor,
    [property: JsonPropertyName("kind")] AlertKind Kind,
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("started")] DateTimeOffset Started,
    [property: JsonPropertyName("ended")] DateTimeOffset? Ended,
    [property: JsonPropertyName("peak")] double Peak);

[JsonConverter(typeof(JsonStringEnumConverter<AlertKind>))]
public enum AlertKind
{
    High,
    Low,
}
