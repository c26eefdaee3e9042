using BlazorIot.Server.Ingest;
using BlazorIot.Server.Storage;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Storage;

public sealed class SqliteReadingStoreTests : ReadingStoreContract
{
    protected override Task<LiveServer> StartAsync(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        Task.FromResult(LiveServer.Start(time, settings));

    [Fact]
    public async Task A_new_store_gets_the_whole_schema_once_and_a_newer_schema_is_refused()
    {
        var path = LiveServer.NewDatabasePath();
        try
        {
            await using (var server = LiveServer.Start(databasePath: path))
            {
                await using var connection = await server.Services.GetRequiredService<SqliteDatabase>().OpenAsync(CancellationToken.None);
                Assert.Equal(SchemaMigrations.Latest, await SchemaMigrations.CurrentVersionAsync(connection, CancellationToken.None));
                Assert.Equal(SchemaMigrations.Latest, await SchemaMigrations.ApplyAsync(connection, CancellationToken.None));
                await using var mode = connection.CreateCommand();
                mode.CommandText = "PRAGMA journal_mode;";
                Assert.Equal("wal", await mode.ExecuteScalarAsync());
            }

            await using (var connection = new SqliteConnection($"Data Source={path}"))
            {
                await connection.OpenAsync();
                await using var bump = connection.CreateCommand();
                bump.CommandText = $"PRAGMA user_version = {SchemaMigrations.Latest + 1};";
                await bump.ExecuteNonQueryAsync();
                var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SchemaMigrations.ApplyAsync(connection, CancellationToken.None));
                Assert.Contains("newer than this server knows", error.Message);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task After_a_failed_commit_the_writer_stores_the_next_readings_with_their_ids_and_totals()
    {
        await using var server = LiveServer.Start();
        var ingest = server.Services.GetRequiredService<ReadingIngest>();
        var store = server.Services.GetRequiredService<ReadingStore>();
        var first = await ingest.AcceptAsync([new("dev", 1, null, 7)], CancellationToken.None);
        // A schema change under the writer's prepared statements, and a reading the database refuses.
        await using (var connection = await server.Services.GetRequiredService<SqliteDatabase>().OpenAsync(CancellationToken.None))
        {
            await using var trigger = connection.CreateCommand();
            trigger.CommandText = "CREATE TRIGGER refuse BEFORE INSERT ON readings WHEN NEW.value = -999 BEGIN SELECT RAISE(ABORT, 'refused'); END;";
            await trigger.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            ingest.AcceptAsync([new("dev", 2, null, 8), new("plain", 5), new("dev", -999, null, 9)], CancellationToken.None));
        var retry = await ingest.AcceptAsync([new("dev", 1, null, 7), new("dev", 2, null, 8), new("plain", 6)], CancellationToken.None);

        Assert.Equal(2, retry.Stored);
        Assert.Equal(1, retry.Duplicates);
        Assert.Equal(first.Ids[0], retry.Ids[0]);
        Assert.Equal(new[] { 1.0, 2 }, await Values(store, "dev"));
        Assert.Equal(new[] { 6.0 }, await Values(store, "plain"));
        var dev = (await store.GetSensorAsync("dev", CancellationToken.None))!;
        Assert.Equal((2, 2.0), (dev.Count, dev.LastValue));
        Assert.Equal(1, (await store.GetSensorAsync("plain", CancellationToken.None))!.Count);
    }

    [Fact]
    public async Task A_write_resumes_on_the_thread_pool_never_on_the_writer_thread()
    {
        await using var server = LiveServer.Start();
        var writer = server.Services.GetRequiredService<IReadingWriter>();
        using var committed = new ManualResetEventSlim();
        // Holds the writer inside its publication until a continuation is on the write, so it cannot complete first.
        using var subscription = server.Hub.Subscribe("thread", _ => committed.Wait(TimeSpan.FromSeconds(10)));
        var now = DateTimeOffset.UtcNow;

        var write = writer.WriteAsync([new NewReading("thread", 1, now, now, null)], CancellationToken.None);
        // Runs on whichever thread completes the write: the one its awaiting caller would resume on.
        var resumed = write.ContinueWith(
            _ => (Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        committed.Set();
        var (name, pooled) = await resumed;

        Assert.True(pooled, $"resumed on {name}, not the thread pool");
        Assert.NotEqual("BlazorIot group commit", name);
    }
}
