using BlazorIot.Shared.Readings;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace BlazorIot.Server.Storage.Postgres;

/// <summary>
/// This instance's writer into the shared PostgreSQL store. Ingest requests wait in a bounded
/// queue; one loop takes every request waiting and commits them in one transaction that first locks
/// the <c>last_seq</c> counter row. Every instance's writer takes that lock, so transactions that
/// give ids run one after another and <b>id order is commit order</b>: once a reader sees id N,
/// every id below N is visible too (a plain sequence would let a slow transaction commit id 5 after
/// id 6 was read). Duplicates (same sensor and device id) are found under the same lock, so the ids
/// stay dense. Nothing is published here: every instance's <see cref="PostgresFeed"/> publishes the
/// committed rows in id order, this instance's included; the commit wakes it at once.
/// </summary>
public sealed class PostgresGroupCommitWriter : IReadingWriter, IHostedService, IDisposable
{
    private readonly PostgresDatabase database;
    private readonly PostgresFeed feed;
    private readonly RedisWakeUp redis;
    private readonly Operations.BlazorIotMetrics? metrics;
    private readonly CommitQueue queue;
    private readonly CommitFailureLog failureLog;
    private static readonly TimeSpan PublishWait = TimeSpan.FromSeconds(1);
    private Task? running;
    private long commits;

    public PostgresGroupCommitWriter(
        PostgresDatabase database, PostgresFeed feed, RedisWakeUp redis, IOptions<StorageOptions> options,
        ILogger<PostgresGroupCommitWriter> logger, TimeProvider time, Operations.BlazorIotMetrics? metrics = null)
    {
        this.database = database;
        this.feed = feed;
        this.redis = redis;
        this.metrics = metrics;
        queue = new CommitQueue(options.Value);
        failureLog = new CommitFailureLog(logger, time);
    }

    public long Commits => Interlocked.Read(ref commits);

    /// <summary>
    /// Test seam for the commit-order race: runs inside the transaction after its ids are taken and
    /// its rows written, before the commit.
    /// </summary>
    internal Func<CancellationToken, Task>? BeforeCommit { get; set; }

    public Task<IngestResult> WriteAsync(IReadOnlyList<NewReading> readings, CancellationToken cancellationToken) =>
        queue.WriteAsync(readings, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        running = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Takes no new requests, commits those already queued, then returns.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        if (running is not null)
        {
            await running.WaitAsync(cancellationToken);
        }
    }

    private async Task RunAsync()
    {
        var group = new List<PendingWrite>();
        while (await queue.WaitToReadAsync())
        {
            queue.TakeGroup(group);
            await CommitAsync(group);
        }
    }

    private async Task CommitAsync(List<PendingWrite> group)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        IngestResult[] results;
        long stored;
        long last;
        try
        {
            (results, stored, last) = await InsertAsync(group);
            Interlocked.Increment(ref commits);
            metrics?.Committed(System.Diagnostics.Stopwatch.GetElapsedTime(started));
            metrics?.Ingested((int)stored);
        }
        catch (Exception exception)
        {
            failureLog.Failed(exception, group.Count);
            CommitQueue.Fail(group, exception);
            return;
        }
        failureLog.Succeeded();
        if (stored > 0)
        {
            feed.Wake();
            redis.Announce(last);
            // Durable already; answered once live here too, as SQLite's writer does. The next group
            // does not wait for that.
            _ = AcknowledgeWhenLiveAsync([.. group], results, last);
            return;
        }
        for (var i = 0; i < group.Count; i++)
        {
            group[i].Completion.TrySetResult(results[i]);
        }
    }

    private async Task AcknowledgeWhenLiveAsync(PendingWrite[] writes, IngestResult[] results, long last)
    {
        try
        {
            await feed.WhenPublishedAsync(last).WaitAsync(PublishWait);
        }
        catch (TimeoutException)
        {
            // The feed is behind (PostgreSQL slow or unreachable for reads): the readings are stored, say so.
        }
        for (var i = 0; i < writes.Length; i++)
        {
            writes[i].Completion.TrySetResult(results[i]);
        }
    }

    private async Task<(IngestResult[] Results, long Stored, long Last)> InsertAsync(List<PendingWrite> group)
    {
        // Bounded by the server's stop: a commit in flight is never cancelled half-way by a request.
        var cancellationToken = CancellationToken.None;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        long last;
        await using (var take = new NpgsqlCommand("SELECT value FROM facts WHERE name = 'last_seq' FOR UPDATE;", connection, transaction))
        {
            last = (long)(await take.ExecuteScalarAsync(cancellationToken))!;
        }
        var existing = await ExistingAsync(connection, transaction, group, cancellationToken);

        var fresh = new FreshRows();
        var results = new IngestResult[group.Count];
        var next = last;
        for (var g = 0; g < group.Count; g++)
        {
            var readings = group[g].Readings;
            var ids = new long[readings.Count];
            var duplicates = 0;
            for (var i = 0; i < readings.Count; i++)
            {
                var reading = readings[i];
                if (reading.DeviceId is { } deviceId && existing.TryGetValue((reading.Sensor, deviceId), out var seq))
                {
                    ids[i] = seq;
                    duplicates++;
                    continue;
                }
                ids[i] = ++next;
                fresh.Add(next, reading);
                if (reading.DeviceId is { } firstSeen)
                {
                    // A retry inside the same group gets this id too.
                    existing[(reading.Sensor, firstSeen)] = next;
                }
            }
            results[g] = new IngestResult(readings.Count - duplicates, duplicates, ids);
        }

        if (fresh.Count > 0)
        {
            await using (var insert = new NpgsqlCommand("""
                INSERT INTO readings (seq, sensor, value, ts, received, device_id)
                SELECT * FROM unnest(@seq, @sensor, @value, @ts, @received, @device)
                ON CONFLICT (sensor, device_id) WHERE device_id IS NOT NULL DO NOTHING;
                """, connection, transaction))
            {
                insert.Parameters.AddWithValue("seq", NpgsqlDbType.Array | NpgsqlDbType.Bigint, fresh.Sequences);
                insert.Parameters.AddWithValue("sensor", NpgsqlDbType.Array | NpgsqlDbType.Text, fresh.Sensors);
                insert.Parameters.AddWithValue("value", NpgsqlDbType.Array | NpgsqlDbType.Double, fresh.Values);
                insert.Parameters.AddWithValue("ts", NpgsqlDbType.Array | NpgsqlDbType.Bigint, fresh.Timestamps);
                insert.Parameters.AddWithValue("received", NpgsqlDbType.Array | NpgsqlDbType.Bigint, fresh.Received);
                insert.Parameters.AddWithValue("device", NpgsqlDbType.Array | NpgsqlDbType.Bigint, fresh.DeviceIds);
                var inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
                if (inserted != fresh.Count)
                {
                    // Cannot happen while every writer takes the counter lock; if it did, ids would have holes.
                    throw new InvalidOperationException($"Expected to insert {fresh.Count} readings, inserted {inserted}.");
                }
            }
            await using (var account = new NpgsqlCommand("""
                UPDATE facts SET value = @last WHERE name = 'last_seq';
                INSERT INTO sensors (id, created, reading_count, last_value, last_ts)
                SELECT * FROM unnest(@id, @created, @count, @newest_value, @newest_ts)
                ON CONFLICT (id) DO UPDATE SET
                    reading_count = sensors.reading_count + excluded.reading_count,
                    last_value = CASE WHEN sensors.last_ts IS NULL OR excluded.last_ts >= sensors.last_ts THEN excluded.last_value ELSE sensors.last_value END,
                    last_ts = GREATEST(COALESCE(sensors.last_ts, excluded.last_ts), excluded.last_ts);
                SELECT pg_notify(@channel, @last::text);
                """, connection, transaction))
            {
                var tallies = fresh.Tally();
                account.Parameters.AddWithValue("last", next);
                account.Parameters.AddWithValue("id", NpgsqlDbType.Array | NpgsqlDbType.Text, tallies.Select(t => t.Sensor).ToArray());
                account.Parameters.AddWithValue("created", NpgsqlDbType.Array | NpgsqlDbType.Bigint, tallies.Select(t => t.FirstReceived).ToArray());
                account.Parameters.AddWithValue("count", NpgsqlDbType.Array | NpgsqlDbType.Bigint, tallies.Select(t => t.Count).ToArray());
                account.Parameters.AddWithValue("newest_value", NpgsqlDbType.Array | NpgsqlDbType.Double, tallies.Select(t => t.NewestValue).ToArray());
                account.Parameters.AddWithValue("newest_ts", NpgsqlDbType.Array | NpgsqlDbType.Bigint, tallies.Select(t => t.NewestTimestamp).ToArray());
                account.Parameters.AddWithValue("channel", PostgresFeed.Channel);
                await account.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        if (BeforeCommit is { } hook)
        {
            await hook(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return (results, fresh.Count, next);
    }

    /// <summary>The ids already given to this group's (sensor, device id) pairs; removes hidden readings that hold one.</summary>
    private static async Task<Dictionary<(string Sensor, long DeviceId), long>> ExistingAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<PendingWrite> group, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(string, long), long>();
        var sensors = new List<string>();
        var deviceIds = new List<long>();
        foreach (var pending in group)
        {
            foreach (var reading in pending.Readings)
            {
                if (reading.DeviceId is { } deviceId)
                {
                    sensors.Add(reading.Sensor);
                    deviceIds.Add(deviceId);
                }
            }
        }
        if (sensors.Count == 0)
        {
            return found;
        }
        // A reading of a deleted sensor that is only hidden, waiting for its removal, is no duplicate:
        // it goes now, so the new reading can take its (sensor, device id). The query sees the rows as
        // they were before its own DELETE, hence the same test in its SELECT.
        await using var find = new NpgsqlCommand("""
            WITH wanted AS (SELECT * FROM unnest(@sensor, @device) AS w(sensor, device_id)),
            hidden AS (
                DELETE FROM readings r USING wanted w, sensor_removals x
                WHERE r.sensor = w.sensor AND r.device_id = w.device_id AND x.sensor = r.sensor AND r.seq <= x.up_to)
            SELECT r.sensor, r.device_id, r.seq FROM readings r
            JOIN wanted w ON r.sensor = w.sensor AND r.device_id = w.device_id
            WHERE NOT EXISTS (SELECT 1 FROM sensor_removals x WHERE x.sensor = r.sensor AND r.seq <= x.up_to);
            """, connection, transaction);
        find.Parameters.AddWithValue("sensor", NpgsqlDbType.Array | NpgsqlDbType.Text, sensors.ToArray());
        find.Parameters.AddWithValue("device", NpgsqlDbType.Array | NpgsqlDbType.Bigint, deviceIds.ToArray());
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[(reader.GetString(0), reader.GetInt64(1))] = reader.GetInt64(2);
        }
        return found;
    }

    public void Dispose() => queue.Complete();
}
