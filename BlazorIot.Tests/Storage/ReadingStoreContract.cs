using BlazorIot.Server.Ingest;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using BlazorIot.Tests.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BlazorIot.Tests.Storage;

/// <summary>
/// What every store provider must do, run against each: SQLite (<see cref="SqliteReadingStoreTests"/>)
/// and PostgreSQL (<see cref="PostgresReadingStoreTests"/>).
/// </summary>
public abstract partial class ReadingStoreContract : StoreProviderTests
{
    [SkippableFact]
    public async Task Concurrent_ingests_share_commits_and_get_distinct_increasing_ids_in_commit_order()
    {
        await using var server = await StartAsync();
        var ingest = server.Services.GetRequiredService<ReadingIngest>();
        var writer = server.Services.GetRequiredService<IReadingWriter>();
        var published = new System.Collections.Concurrent.ConcurrentQueue<long>();
        using var subscription = server.Hub.Subscribe("load", r => published.Enqueue(r.Sequence));

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            Task.Run(() => ingest.AcceptAsync(new ReadingInput("load", i), CancellationToken.None))));

        var ids = results.Select(r => Assert.Single(r.Ids)).ToArray();
        Assert.Equal(200, ids.Distinct().Count());
        Assert.All(results, r => Assert.Equal(1, r.Stored));
        Assert.True(writer.Commits < 200, $"200 concurrent ingests took {writer.Commits} commits: they should share transactions.");
        // Published after commit, in id order.
        await Eventually.TrueAsync(() => published.Count == 200, "every reading is published");
        Assert.Equal(ids.Order(), published);
        var store = server.Services.GetRequiredService<ReadingStore>();
        Assert.Equal(200, (await store.GetSensorAsync("load", CancellationToken.None))!.Count);
    }

    [SkippableFact]
    public async Task A_reading_sent_again_with_the_same_device_id_is_stored_once()
    {
        await using var server = await StartAsync();
        var ingest = server.Services.GetRequiredService<ReadingIngest>();
        var store = server.Services.GetRequiredService<ReadingStore>();

        var first = await ingest.AcceptAsync([new("dev", 1, null, 7), new("dev", 2, null, 8)], CancellationToken.None);
        var retry = await ingest.AcceptAsync([new("dev", 1, null, 7), new("dev", 2, null, 8), new("dev", 3, null, 9), new("dev", 3, null, 9)], CancellationToken.None);
        var otherSensor = await ingest.AcceptAsync(new ReadingInput("other", 1, null, 7), CancellationToken.None);

        Assert.Equal(new IngestResult(2, 0, first.Ids), first);
        Assert.Equal(1, retry.Stored);
        Assert.Equal(3, retry.Duplicates);
        Assert.Equal([first.Ids[0], first.Ids[1], retry.Ids[2], retry.Ids[2]], retry.Ids);
        Assert.Equal(1, otherSensor.Stored);
        Assert.Equal(new[] { 1.0, 2, 3 }, await Values(store, "dev"));
        await Eventually.TrueAsync(() => server.Hub.GetWindow("dev").Count == 3, "the three readings reach the hub");
        Assert.Equal(3, server.Hub.GetWindow("dev").Count);
    }

    [SkippableFact]
    public async Task A_large_batch_mixing_plain_readings_and_device_ids_gets_dense_ids_in_its_own_order_across_statement_boundaries()
    {
        await using var server = await StartAsync();
        var ingest = server.Services.GetRequiredService<ReadingIngest>();
        var store = server.Services.GetRequiredService<ReadingStore>();
        var published = new System.Collections.Concurrent.ConcurrentQueue<Reading>();
        using var subscription = server.Hub.Subscribe("mixed", published.Enqueue);
        // 300 readings: runs of plain ones longer than one multi-row statement, broken by device ids (one repeated).
        var batch = Enumerable.Range(0, 300)
            .Select(i => new ReadingInput("mixed", i, null, i % 97 == 0 ? i / 97 : null))
            .Append(new ReadingInput("mixed", 0, null, 0))
            .ToList();

        var result = await ingest.AcceptAsync(batch, CancellationToken.None);

        Assert.Equal(300, result.Stored);
        Assert.Equal(1, result.Duplicates);
        var ids = result.Ids.Take(300).ToArray();
        Assert.Equal(Enumerable.Range(0, 300).Select(i => ids[0] + i), ids);
        Assert.Equal(ids[0], result.Ids[300]);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (double)i), await Values(store, "mixed"));
        await Eventually.TrueAsync(() => published.Count == 300, "the batch is published");
        Assert.Equal(ids, published.Select(r => r.Sequence));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (double)i), published.Select(r => r.Value));
    }

    [SkippableFact]
    public async Task Late_readings_are_kept_in_time_order_beside_their_receive_time()
    {
        var time = HubFactory.Clock();
        await using var server = await StartAsync(time);
        var ingest = server.Services.GetRequiredService<ReadingIngest>();
        var store = server.Services.GetRequiredService<ReadingStore>();
        var now = time.GetUtcNow();

        await ingest.AcceptAsync(new ReadingInput("late", 3, now.AddMinutes(-1)), CancellationToken.None);
        await ingest.AcceptAsync(new ReadingInput("late", 1, now.AddMinutes(-3)), CancellationToken.None);
        await ingest.AcceptAsync(new ReadingInput("late", 2, now.AddMinutes(-2)), CancellationToken.None);

        var readings = await All(store, "late");
        Assert.Equal([1.0, 2, 3], readings.Select(r => r.Value));
        Assert.All(readings, r => Assert.Equal(now, r.Received));
        Assert.Equal(3, (await store.GetSensorAsync("late", CancellationToken.None))!.LastValue);
    }

    [SkippableFact]
    public async Task Retention_removes_old_readings_in_batches_and_records_how_far_it_went()
    {
        var time = HubFactory.Clock();
        await using var server = await StartAsync(time, new Dictionary<string, string?>
        {
            ["Storage:Retention"] = "1.00:00:00",
            ["Storage:RetentionBatch"] = "10",
            ["Storage:RetentionInterval"] = "01:00:00",
        });
        var ingest = server.Services.GetRequiredService<ReadingIngest>();
        var store = server.Services.GetRequiredService<ReadingStore>();
        var sweeper = server.Services.GetServices<IHostedService>().OfType<RetentionSweeper>().Single();
        // The sweep the server runs at start must be over, or it would share the old readings with this one.
        await sweeper.FirstSweep;
        var now = time.GetUtcNow();
        var old = await ingest.AcceptAsync(Enumerable.Range(0, 25).Select(i => new ReadingInput("r", i, now.AddDays(-2).AddSeconds(i))).ToArray(), CancellationToken.None);
        await ingest.AcceptAsync(Enumerable.Range(0, 5).Select(i => new ReadingInput("r", 100 + i, now.AddHours(-1))).ToArray(), CancellationToken.None);

        var removed = await sweeper.SweepAsync(CancellationToken.None);

        Assert.Equal(25, removed);
        Assert.Equal(new[] { 100.0, 101, 102, 103, 104 }, await Values(store, "r"));
        Assert.Equal(5, (await store.GetSensorAsync("r", CancellationToken.None))!.Count);
        Assert.Equal(old.Ids.Max(), await store.RetentionHorizonAsync(CancellationToken.None));
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
    }

    private static async Task<List<Reading>> All(ReadingStore store, string sensor)
    {
        var readings = new List<Reading>();
        await foreach (var reading in store.QueryAsync(sensor, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, null, false, CancellationToken.None))
        {
            readings.Add(reading);
        }
        return readings;
    }

    protected static async Task<double[]> Values(ReadingStore store, string sensor) => [.. (await All(store, sensor)).Select(r => r.Value)];
}
