using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Storage;

/// <summary>Removes readings older than <see cref="StorageOptions.Retention"/>, a small batch per transaction so ingest never waits long.</summary>
public sealed partial class RetentionSweeper(
    ReadingStore store, IOptions<StorageOptions> options, TimeProvider time, ILogger<RetentionSweeper> logger) : BackgroundService
{
    private readonly TaskCompletionSource firstSweep = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes once the sweep run at start has finished (or failed, or the server stopped): a
    /// sweep started after that cannot share its readings with it.
    /// </summary>
    public Task FirstSweep => firstSweep.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.RetentionInterval, time);
        do
        {
            try
            {
                var removed = await SweepAsync(stoppingToken);
                if (removed > 0)
                {
                    LogRemoved(removed, settings.Retention);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSweepFailed(exception);
            }
            finally
            {
                firstSweep.TrySetResult();
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One full sweep; returns how many readings it removed.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var cutoff = time.GetUtcNow() - settings.Retention;
        var total = 0;
        foreach (var sensor in await store.SensorIdsAsync(cancellationToken))
        {
            int removed;
            do
            {
                removed = await store.RemoveOlderThanAsync(sensor, cutoff, settings.RetentionBatch, cancellationToken);
                total += removed;
            }
            while (removed == settings.RetentionBatch);
        }
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Removed} readings older than {Retention}.")]
    private partial void LogRemoved(int removed, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A retention sweep failed; it is tried again at the next interval.")]
    private partial void LogSweepFailed(Exception exception);
}
