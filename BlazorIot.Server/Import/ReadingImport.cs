using System.Data.Common;
using BlazorIot.Server.Live;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Import;

/// <summary>
/// Stores the checked rows of an import into one sensor's history, batch by batch, each batch its
/// own short transaction so live ingest is never held up for long. Imported readings are marked
/// (<c>imported</c>): they are history, never published live nor replayed to streams. Storing is
/// idempotent: a row with a device id is skipped when the sensor already has that id; a row without
/// one when the sensor had a reading at that exact time before the import began (two rows of one
/// file at the same time are both kept). A sensor being deleted first loses the readings still
/// waiting to be removed, so an export, a deletion and an import give back the same readings.
/// Once batches are committed, however the import ends, the sensor's live window is reloaded
/// (<see cref="SensorHub.HistoryChanged"/>), so cards and snapshots reflect its history.
/// </summary>
public abstract class ReadingImport(ReadingStore store, SensorHub hub, IOptions<LiveOptions> live, IOptions<ImportOptions> options, TimeProvider time)
{
    private const string Stopped =
        "The import stopped at a store failure; the batches stored before it stay stored. Send the file again once the store is back: rows already stored are skipped.";

    /// <exception cref="StoreUnavailableException">When a batch could not be stored.</exception>
    public async Task<ImportStored> StoreAsync(string sensor, ImportSpool spool, CancellationToken cancellationToken)
    {
        var batch = new ImportBatch((int)Math.Min(options.Value.BatchRows, Math.Max(1, spool.Count)));
        long stored = 0;
        try
        {
            await using var target = await OpenAsync(sensor, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
            await target.ClearPendingRemovalAsync(batch.Capacity, cancellationToken);
            var before = await store.LastSequenceAsync(cancellationToken);
            await spool.RewindAsync(cancellationToken);
            while (await spool.ReadAsync(batch, cancellationToken) > 0)
            {
                stored += await target.StoreBatchAsync(batch, before, cancellationToken);
            }
            return new ImportStored(stored, spool.Count - stored);
        }
        catch (DbException exception)
        {
            throw new StoreUnavailableException(Stopped, exception);
        }
        finally
        {
            if (stored > 0)
            {
                hub.HistoryChanged(sensor, await NewestAsync(sensor));
            }
        }
    }

    /// <summary>The sensor's newest stored readings by timestamp, oldest first, as its live window holds them.</summary>
    private async Task<IReadOnlyList<Reading>> NewestAsync(string sensor)
    {
        var count = live.Value.WindowSize;
        var newest = new List<Reading>(count);
        // Not cancelled with the request: what is committed is history now, and views must hear of it.
        await foreach (var reading in store.QueryAsync(sensor, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, count, newestFirst: true, CancellationToken.None))
        {
            newest.Add(reading);
        }
        newest.Reverse();
        return newest;
    }

    /// <param name="created">The sensor's creation time if the import creates it, Unix ms.</param>
    protected abstract Task<ImportTarget> OpenAsync(string sensor, long created, CancellationToken cancellationToken);
}
