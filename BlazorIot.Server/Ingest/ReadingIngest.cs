using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Ingest;

/// <summary>
/// The one way readings enter the system, whichever endpoint (or the demo device) they came
/// through: stamped with the receive time, committed durably, then published. The returned task
/// completes only after the commit, so an acknowledged reading survives a crash.
/// </summary>
public sealed class ReadingIngest(IReadingWriter writer, TimeProvider time)
{
    /// <exception cref="StoreUnavailableException">When nothing could be stored.</exception>
    public Task<IngestResult> AcceptAsync(IReadOnlyList<ReadingInput> readings, CancellationToken cancellationToken)
    {
        var received = time.GetUtcNow();
        var batch = new NewReading[readings.Count];
        for (var i = 0; i < batch.Length; i++)
        {
            var input = readings[i];
            batch[i] = new NewReading(input.Sensor, input.Value, input.Timestamp ?? received, received, input.DeviceId);
        }
        return writer.WriteAsync(batch, cancellationToken);
    }

    public Task<IngestResult> AcceptAsync(ReadingInput reading, CancellationToken cancellationToken) =>
        AcceptAsync([reading], cancellationToken);
}
