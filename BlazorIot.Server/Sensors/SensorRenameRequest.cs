using System.Text.Json.Serialization;

namespace BlazorIot.Server.Sensors;

/// <summary>The body of <c>POST /api/sensors/{id}/rename</c>: the new id, and whether to merge into it when it exists.</summary>
public sealed record SensorRenameRequest(
    [property: JsonPropertyName("to")] string? To,
    [property: JsonPropertyName("merge")] bool? Merge = null);
