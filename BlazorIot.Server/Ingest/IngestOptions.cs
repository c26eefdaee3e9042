using System.ComponentModel.DataAnnotations;

namespace BlazorIot.Server.Ingest;

public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>The most readings one <c>POST /api/readings</c> may carry.</summary>
    [Range(1, 100_000)]
    public int MaxBatch { get; set; } = 1000;

    /// <summary>The largest request body <c>POST /api/readings</c> reads; a larger one gets 413.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Require a device key even while none exists (ingest then refuses everything until one is added).</summary>
    public bool RequireKey { get; set; }

    /// <summary>Sustained ingest requests per second, per device key (or per client address without one).</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecond { get; set; } = 200;

    /// <summary>Ingest requests a key or address may send at once before the rate applies.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 2000;

}
