using System.ComponentModel.DataAnnotations;

namespace BlazorIot.Server.Import;

public sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>The largest CSV file <c>POST /api/sensors/{id}/import</c> takes; a larger one gets 413.</summary>
    [Range(typeof(long), "1024", "1099511627776")]
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>
    /// Rows stored per transaction. Each batch holds the store's write lock while it is written, so
    /// live ingest waits at most one batch; larger batches import a little faster (docs/benchmarks.md).
    /// </summary>
    [Range(100, 1_000_000)]
    public int BatchRows { get; set; } = 10_000;

    /// <summary>
    /// Where an import keeps the rows it has checked until the whole file is known to be valid
    /// (32 bytes a row, deleted when the import ends); the system's temporary folder when empty.
    /// </summary>
    public string? SpoolFolder { get; set; }
}
