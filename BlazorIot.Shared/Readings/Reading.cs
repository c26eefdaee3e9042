using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Readings;

/// <summary>One accepted sensor value.</summary>
/// <param name="Sequence">Server-assigned, strictly increasing across all sensors in commit order; never reused.</param>
/// <param name="Sensor">The sensor id (see <see cref="SensorId"/>).</param>
/// <param name="Value">A finite number.</param>
/// <param name="Timestamp">When the value was measured: the device's time, or the server's receive time when the device sent none.</param>
public sealed record Reading(
    [property: JsonPropertyName("seq")] long Sequence,
    [property: JsonPropertyName("sensor")] string Sensor,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp)
{
    /// <summary>When the server received it.</summary>
    [JsonPropertyName("received")]
    public DateTimeOffset Received { get; init; } = Timestamp;

    /// <summary>The device's own sequence number for this sensor, which makes retries idempotent.</summary>
    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? DeviceId { get; init; }
}
