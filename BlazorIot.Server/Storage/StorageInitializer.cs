using System.Data.Common;
using BlazorIot.Server.Hosting;
using BlazorIot.Server.Live;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Storage;

/// <summary>At start-up, before the server takes requests: brings the schema up to date and refills the hub's windows from the store.</summary>
public sealed partial class StorageInitializer(
    ReadingStore store, SensorHub hub, IOptions<LiveOptions> live, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.MigrateAsync(cancellationToken);
            // The last id first: with other instances writing, a reading committed after it is the
            // feed's to publish, so the windows take nothing above it.
            var last = await store.LastSequenceAsync(cancellationToken);
            var recent = (await store.LoadRecentAsync(live.Value.WindowSize, cancellationToken)).Where(r => r.Sequence <= last).ToList();
            hub.Restore(recent, last);
            LogReady(store.Location, recent.Count, last);
        }
        catch (Exception exception) when (Explain(store, exception) is { } explained)
        {
            throw explained;
        }
        // With inline socket completions (the deployed unit) the awaits above may resume on a socket
        // thread, and the hosted services after this one would start there too: Data Protection then
        // reads its key ring from PostgreSQL synchronously, blocking the very thread its connection
        // needs. Hand the rest of start-up back to the thread pool.
        await Task.Yield();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Brings the schema up to date for a command that works on the store without starting the server.</summary>
    /// <exception cref="StartupException">The store cannot be used; the message names it and says what to do.</exception>
    public static async Task MigrateAsync(ReadingStore store, CancellationToken cancellationToken)
    {
        try
        {
            await store.MigrateAsync(cancellationToken);
        }
        catch (Exception exception) when (Explain(store, exception) is { } explained)
        {
            throw explained;
        }
    }

    /// <summary>A store failure at start-up as the operator must read it, naming the store (never a password); null for what is not one.</summary>
    private static StartupException? Explain(ReadingStore store, Exception exception) => exception switch
    {
        StartupException or OperationCanceledException => null,
        SqliteException sqlite when store is SqliteReadingStore file => SqliteFileFault.Explain(file.Database.Path, sqlite),
        DbException or TimeoutException or System.Net.Sockets.SocketException => new StartupException(
            $"Cannot use the store {store.Location}: {StartupFailureReport.Reason(exception)} "
            + "Check that the database server is running and reachable, and that ConnectionStrings:Postgres is right.", exception),
        _ => new StartupException($"Cannot use the store {store.Location}: {StartupFailureReport.Reason(exception)}", exception),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Location} ready: {Restored} recent readings restored, last sequence id {LastSequence}.")]
    private partial void LogReady(string location, int restored, long lastSequence);
}
