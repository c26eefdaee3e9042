using System.Text.Json.Serialization;

namespace BlazorIot.Server.Sensors;

/// <summary>
/// The answer of <c>GET /api/sensors/{id}/silence</c>, in seconds: the sensor's own silence limit
/// (null: automatic, three usual intervals), its usual interval (null until it has two readings)
/// and whether it is silent now.
/// </summary>
public sealed record SensorSilence(
    [property: JsonPropertyName("after")] double? After,
    [property: JsonPropertyName("usualInterval")] double? UsualInterval,
    [property: JsonPropertyName("silent")] bool Silent);
