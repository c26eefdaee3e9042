using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Storage;

/// <summary>The store's way in: readings are acknowledged only once they are durable.</summary>
public interface IReadingWriter
{
    /// <summary>Stores the readings durably in one transaction (shared with other requests waiting at the same time).</summary>
    /// <exception cref="StoreUnavailableException">When the server is stopping or the commit failed.</exception>
    Task<IngestResult> WriteAsync(IReadOnlyList<NewReading> readings, CancellationToken cancellationToken);

    /// <summary>Transactions committed so far; fewer than the requests they carried when ingest is concurrent.</summary>
    long Commits { get; }
}
