using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Storage;

/// <summary>The store's way in: readings are acknowledged only once they are durable.</summary>
public interface IReadingWriter
{
    /// <summary>Stores the readings durably in one transaction (shared with other requests waiting at the same time).</summary>
    /// <exception cref="StoreUnavailableException">When the server is stopping or the commit failed.</exception>
    /// <param name="answerOn">Where the awaiting code resumes; see <see cref="AnswerThread.Writer"/> before choosing it.</param>
    Task<IngestResult> WriteAsync(IReadOnlyList<NewReading> readings, CancellationToken cancellationToken, AnswerThread answerOn = AnswerThread.ThreadPool);

    /// <summary>Transactions committed so far; fewer than the requests they carried when ingest is concurrent.</summary>
    long Commits { get; }
}
