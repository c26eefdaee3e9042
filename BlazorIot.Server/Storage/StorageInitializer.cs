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
        var recent = await store.LoadRecentAsync(live.Value.WindowSize, cancellationToken);
        var last = await store.LastSequenceAsync(cancellationToken);
        hub.Restore(recent, last);
        LogReady(store.Database.Path, recent.Count, last);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Path} ready: {Restored} recent readings restored, last sequence id {LastSequence}.")]
    private partial void LogReady(string path, int restored, long lastSequence);
}
