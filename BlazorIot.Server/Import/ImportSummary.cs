using System.Text.Json.Serialization;

namespace BlazorIot.Server.Import;

/// <summary>The answer to an import: the file's rows, how many were stored, and how many the store already held.</summary>
public sealed record ImportSummary(
    [property: JsonPropertyName("sensor")] string Sensor,
    [property: JsonPropertyName("rows")] long Rows,
    [property: JsonPropertyName("stored")] long Stored,
    [property: JsonPropertyName("duplicates")] long Duplicates);
