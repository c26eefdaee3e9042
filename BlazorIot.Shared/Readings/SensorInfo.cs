using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Readings;

/// <summary>A sensor as the API lists it.</summary>
public sealed record SensorInfo(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("unit")] string? Unit,
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("lastValue")] double? LastValue,
    [property: JsonPropertyName("lastTimestamp")] DateTimeOffset? LastTimestamp)
{
    /// <summary>How many decimals the dashboard shows (null: as many as the value needs).</summary>
    [JsonPropertyName("decimals")]
    public int? Decimals { get; init; }

    /// <summary>A longer text about the sensor: where it is, what it measures.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>The id this sensor had before its last rename, so a device still sending that id can be pointed out.</summary>
    [JsonPropertyName("renamedFrom")]
    public string? RenamedFrom { get; init; }
}
