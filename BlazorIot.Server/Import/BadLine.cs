using System.Text.Json.Serialization;

namespace BlazorIot.Server.Import;

/// <summary>A line of an imported file that is not valid, by its number as an editor shows it (from 1), and why.</summary>
public sealed record BadLine(
    [property: JsonPropertyName("line")] long Line,
    [property: JsonPropertyName("error")] string Error);
