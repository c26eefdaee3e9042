using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Readings;

/// <summary>
/// A sensor's alert limits. A reading above <see cref="High"/> (or below <see cref="Low"/>) starts
/// an alert; it ends only once the value is back inside by <see cref="Hysteresis"/>, so a noisy
/// value near a limit does not flap.
/// </summary>
public sealed record Thresholds(
    [property: JsonPropertyName("low")] double? Low,
    [property: JsonPropertyName("high")] double? High,
    [property: JsonPropertyName("hysteresis")] double Hysteresis)
{
    public static readonly Thresholds None = new(null, null, 0);

    [JsonIgnore]
    public bool IsEmpty => Low is null && High is null;
}
