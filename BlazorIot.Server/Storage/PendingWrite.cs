using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Storage;

/// <summary>One ingest request waiting for its group commit, and the answer it waits for.</summary>
internal sealed class PendingWrite(IReadOnlyList<NewReading> readings)
{
    public IReadOnlyList<NewReading> Readings { get; } = readings;

    // The writer completes each waiter and goes straight on to its next commit: the waiter's code
    // runs on the thread pool, never on the writer's thread.
    public TaskCompletionSource<IngestResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
