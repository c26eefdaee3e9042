using System.ComponentModel.DataAnnotations;

namespace BlazorIot.Server.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// <c>sqlite</c> (one machine, the default) or <c>postgres</c> (several instances on one
    /// PostgreSQL database, <c>ConnectionStrings:Postgres</c>).
    /// </summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// With PostgreSQL: how often each instance looks for readings committed elsewhere even without a
    /// wake-up (LISTEN/NOTIFY or Redis), so a lost notification only adds latency.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan FeedCatchUpInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The SQLite file; a relative path is under the content root. Its folder is created on first run.</summary>
    [Required]
    public string SqlitePath { get; set; } = "data/blazoriot.db";

    /// <summary>Readings older than this (by their timestamp) are removed in the background.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "36500.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the retention sweep runs (and the removal of deleted sensors' readings, besides right after each deletion).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Readings removed per transaction, by retention and for deleted sensors: small, so ingest never waits long for the write lock.</summary>
    [Range(10, 100_000)]
    public int RetentionBatch { get; set; } = 2_000;

    /// <summary>The most readings one group commit takes; more waiting requests go into the next commit.</summary>
    [Range(1, 1_000_000)]
    public int MaxCommitReadings { get; set; } = 20_000;

    /// <summary>Ingest requests that may wait for a commit before new ones wait to be queued.</summary>
    [Range(1, 1_000_000)]
    public int MaxPendingWrites { get; set; } = 10_000;
}
