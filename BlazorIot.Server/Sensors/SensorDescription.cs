using System.Text.Json.Serialization;

namespace BlazorIot.Server.Sensors;

/// <summary>The body of <c>PUT /api/sensors/{id}</c>: how the dashboard names the sensor and its unit.</summary>
public sealed record SensorDescription(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("unit")] string? Unit);
