using System.Text.Json.Serialization;

namespace BlazorIot.Server.Sensors;

/// <summary>The body of <c>PUT /api/sensors/{id}/silence</c>: seconds without a reading before the sensor counts as silent; null for automatic.</summary>
public sealed record SensorSilenceRequest([property: JsonPropertyName("after")] double? After);
