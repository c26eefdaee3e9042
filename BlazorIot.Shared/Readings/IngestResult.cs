using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Readings;

/// <summary>What an ingest request stored.</summary>
/// <param name="Stored">Readings newly stored.</param>
/// <param name="Duplicates">Readings already stored under the same sensor and device id (a retry), not stored again.</param>
/// <param name="Ids">The sequence id of each reading, in request order; a duplicate gets the id it was first stored with.</param>
public sealed record IngestResult(
    [property: JsonPropertyName("stored")] int Stored,
    [property: JsonPropertyName("duplicates")] int Duplicates,
    [property: JsonPropertyName("ids")] IReadOnlyList<long> Ids);
