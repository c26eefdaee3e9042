using BlazorIot.Server.Live;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Storage;

/// <summary>At start-up, before the server takes requests: brings the schema up to date and refills the hub's windows from the store.</summary>
public sealed partial class StorageInitializer(
    ReadingStore store, SensorHub hub, IOptions<LiveOptions> live, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        // The last id first: with other instances writing, a reading committed after it is the
        // feed's to publish, so the windows take nothing above it.
        var last = await store.LastSequenceAsync(cancellationToken);
        var recent = (await store.LoadRecentAsync(live.Value.WindowSize, cancellationToken)).Where(r => r.Sequence <= last).ToList();
        hub.Restore(recent, last);
        LogReady(store.Location, recent.Count, last);
        // With inline socket completions (the deployed unit) the awaits above may resume on a socket
        // thread, and the hosted services after this one would start there too: Data Protection then
        // reads its key ring from PostgreSQL synchronously, blocking the very thread its connection
        // needs. Hand the rest of start-up back to the thread pool.
        await Task.Yield();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Location} ready: {Restored} recent readings restored, last sequence id {LastSequence}.")]
    private partial void LogReady(string location, int restored, long lastSequence);
}
