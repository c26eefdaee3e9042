using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Storage;

/// <summary>
/// Removes the readings of deleted sensors, hidden since the deletion, in the background: at most
/// <see cref="StorageOptions.RetentionBatch"/> per transaction, as retention does, so ingest never
/// waits long. It runs at start, right after each deletion (<see cref="Wake"/>), and every
/// <see cref="StorageOptions.RetentionInterval"/>, so a removal cut short by a stop is finished later.
/// </summary>
public sealed partial class SensorRemovalSweeper(
    ReadingStore store, IOptions<StorageOptions> options, TimeProvider time, ILogger<SensorRemovalSweeper> logger) : BackgroundService
{
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly TaskCompletionSource firstSweep = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the sweep run at start has finished (or failed, or the server stopped).</summary>
    public Task FirstSweep => firstSweep.Task;

    /// <summary>Sweeps now (a sensor was just deleted); a wake-up during a sweep makes one more.</summary>
    public void Wake() => wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var removed = await SweepAsync(stoppingToken);
                if (removed > 0)
                {
                    LogRemoved(removed);
                }
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogSweepFailed(exception);
            }
            finally
            {
                firstSweep.TrySetResult();
            }
            await WaitForWakeAsync(stoppingToken);
        }
    }

    /// <summary>Removes every hidden reading of every deleted sensor, batch by batch; returns how many it removed.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var batch = options.Value.RetentionBatch;
        var total = 0;
        foreach (var sensor in await store.PendingRemovalsAsync(cancellationToken))
        {
            int removed;
            do
            {
                removed = await store.RemoveDeletedReadingsAsync(sensor, batch, cancellationToken);
                total += removed;
            }
            while (removed == batch);
        }
        return total;
    }

    private async Task WaitForWakeAsync(CancellationToken stoppingToken)
    {
        using var interval = new CancellationTokenSource(options.Value.RetentionInterval, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, interval.Token);
        try
        {
            await wake.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException)
        {
            // The interval passed (sweep anyway), or the server is stopping (the loop ends).
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Removed} readings of deleted sensors.")]
    private partial void LogRemoved(int removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing the readings of deleted sensors failed; it is tried again at the next interval.")]
    private partial void LogSweepFailed(Exception exception);
}
