namespace BlazorIot.Server.Import;

/// <summary>One import's way into the store: a connection of its own for the whole import, and the sensor it writes to.</summary>
public abstract class ImportTarget : IAsyncDisposable
{
    /// <summary>
    /// When the sensor is being deleted (a <c>sensor_removals</c> row), removes its readings still
    /// hidden by that, <paramref name="batchRows"/> at a time, then the row itself.
    /// </summary>
    public abstract Task ClearPendingRemovalAsync(int batchRows, CancellationToken cancellationToken);

    /// <summary>Stores one batch in one transaction, with the sensor's row; returns how many rows were new.</summary>
    /// <param name="before">The highest sequence id when the import began: rows without a device id are compared with readings up to it.</param>
    public abstract Task<long> StoreBatchAsync(ImportBatch batch, long before, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
