using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Readings;

/// <summary>The readings of one time bucket, summarised.</summary>
/// <param name="Start">The bucket's start; it covers [Start, Start + bucket size).</param>
public sealed record AggregateBucket(
    [property: JsonPropertyName("start")] DateTimeOffset Start,
    [property: JsonPropertyName("min")] double Min,
    [property: JsonPropertyName("max")] double Max,
    [property: JsonPropertyName("avg")] double Avg,
    [property: JsonPropertyName("count")] long Count);
