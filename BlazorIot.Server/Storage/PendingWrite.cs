using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Storage;

/// <summary>One ingest request waiting for its group commit, and the answer it waits for.</summary>
internal sealed class PendingWrite(IReadOnlyList<NewReading> readings, AnswerThread answerOn)
{
    public IReadOnlyList<NewReading> Readings { get; } = readings;

    public TaskCompletionSource<IngestResult> Completion { get; } =
        new(answerOn == AnswerThread.Writer ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
}
