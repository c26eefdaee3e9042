using BlazorIot.Server.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace BlazorIot.Server.Import;

/// <summary>
/// One import into PostgreSQL, on a connection of its own. Each batch takes its ids as every instance's writer does
/// (<see cref="PostgresGroupCommitWriter"/>): under the <c>last_seq</c> row lock, dense, in commit
/// order, so every feed sees the batch's ids follow on; the feeds count them but publish none.
/// </summary>
public sealed class PostgresImportTarget(NpgsqlConnection connection, PostgresFeed feed, RedisWakeUp redis, string sensor, long created) : ImportTarget
{
    public override async Task ClearPendingRemovalAsync(int batchRows, CancellationToken cancellationToken)
    {
        while (await PendingRemovalAsync(cancellationToken) is { } upTo)
        {
            // Until none is left: the background sweeper may be removing the same rows meanwhile.
            while (await ExecuteAsync("""
                DELETE FROM readings WHERE seq IN (SELECT seq FROM readings WHERE sensor = @sensor AND seq <= @upTo LIMIT @batch);
                """, upTo, batchRows, cancellationToken) > 0)
            {
            }
            // Kept when the sensor was deleted again meanwhile (a higher up_to): the next round removes those rows too.
            await ExecuteAsync("DELETE FROM sensor_removals WHERE sensor = @sensor AND up_to = @upTo;", upTo, batch: 0, cancellationToken);
        }
    }

    public override async Task<long> StoreBatchAsync(ImportBatch batch, long before, CancellationToken cancellationToken)
    {
        var rows = Distinct(batch);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long last;
        await using (var take = new NpgsqlCommand("SELECT value FROM facts WHERE name = 'last_seq' FOR UPDATE;", connection, transaction))
        {
            last = (long)(await take.ExecuteScalarAsync(cancellationToken))!;
        }
        long fresh, stored, newestTimestamp;
        double newestValue;
        // Numbered after the rows the sensor already has are left out, so the ids stay dense; the
        // conflict clause and the count check only guard that (a hole would stall every feed).
        await using (var insert = new NpgsqlCommand("""
            WITH input AS (
                SELECT * FROM unnest(@ts, @value, @received, @device) WITH ORDINALITY AS i(ts, value, received, device_id, n)
            ), fresh AS (
                SELECT * FROM input i WHERE CASE WHEN i.device_id IS NULL
                    THEN NOT EXISTS (SELECT 1 FROM readings r WHERE r.sensor = @sensor AND r.ts = i.ts AND r.seq <= @before)
                    ELSE NOT EXISTS (SELECT 1 FROM readings r WHERE r.sensor = @sensor AND r.device_id = i.device_id) END
            ), numbered AS (
                SELECT @last + row_number() OVER (ORDER BY n) AS seq, ts, value, received, device_id FROM fresh
            ), stored AS (
                INSERT INTO readings (seq, sensor, value, ts, received, device_id, imported)
                SELECT seq, @sensor, value, ts, received, device_id, true FROM numbered
                ON CONFLICT (sensor, device_id) WHERE device_id IS NOT NULL DO NOTHING
                RETURNING seq, value, ts
            )
            SELECT (SELECT COUNT(*) FROM numbered), COUNT(*),
                COALESCE(MAX(ts), 0), COALESCE((SELECT value FROM stored ORDER BY ts DESC, seq DESC LIMIT 1), 0)
            FROM stored;
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("ts", NpgsqlDbType.Array | NpgsqlDbType.Bigint, rows.Timestamps);
            insert.Parameters.AddWithValue("value", NpgsqlDbType.Array | NpgsqlDbType.Double, rows.Values);
            insert.Parameters.AddWithValue("received", NpgsqlDbType.Array | NpgsqlDbType.Bigint, rows.Received);
            insert.Parameters.AddWithValue("device", NpgsqlDbType.Array | NpgsqlDbType.Bigint, rows.DeviceIds);
            insert.Parameters.AddWithValue("sensor", sensor);
            insert.Parameters.AddWithValue("before", before);
            insert.Parameters.AddWithValue("last", last);
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (fresh, stored, newestTimestamp, newestValue) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetDouble(3));
        }
        if (stored != fresh)
        {
            throw new InvalidOperationException($"Expected to import {fresh} readings, inserted {stored}: another writer stored some of them without the sequence lock.");
        }
        if (stored > 0)
        {
            await using var account = new NpgsqlCommand("""
                UPDATE facts SET value = @last WHERE name = 'last_seq';
                INSERT INTO sensors (id, created, reading_count, last_value, last_ts) VALUES (@sensor, @created, @count, @newest_value, @newest_ts)
                ON CONFLICT (id) DO UPDATE SET
                    reading_count = sensors.reading_count + excluded.reading_count,
                    last_value = CASE WHEN sensors.last_ts IS NULL OR excluded.last_ts >= sensors.last_ts THEN excluded.last_value ELSE sensors.last_value END,
                    last_ts = GREATEST(COALESCE(sensors.last_ts, excluded.last_ts), excluded.last_ts);
                SELECT pg_notify(@channel, @last::text);
                """, connection, transaction);
            account.Parameters.AddWithValue("last", last + stored);
            account.Parameters.AddWithValue("sensor", sensor);
            account.Parameters.AddWithValue("created", created);
            account.Parameters.AddWithValue("count", stored);
            account.Parameters.AddWithValue("newest_value", newestValue);
            account.Parameters.AddWithValue("newest_ts", newestTimestamp);
            account.Parameters.AddWithValue("channel", PostgresFeed.Channel);
            await account.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        if (stored > 0)
        {
            // The feeds count the new ids (and publish none of them) before the next live reading's.
            feed.Wake();
            redis.Announce(last + stored);
        }
        return stored;
    }

    /// <summary>
    /// The batch's rows as arrays of its length, without a repeated device id (a later row with the
    /// same id is a duplicate: one statement cannot see its own rows, as SQLite's conflict clause does).
    /// </summary>
    private static BatchArrays Distinct(ImportBatch batch)
    {
        var seen = new HashSet<long>();
        var keep = new List<int>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch.DeviceIds[i] is not { } id || seen.Add(id))
            {
                keep.Add(i);
            }
        }
        if (keep.Count == batch.Capacity)
        {
            return new BatchArrays(batch.Timestamps, batch.Values, batch.Received, batch.DeviceIds);
        }
        var arrays = new BatchArrays(new long[keep.Count], new double[keep.Count], new long[keep.Count], new long?[keep.Count]);
        for (var k = 0; k < keep.Count; k++)
        {
            var i = keep[k];
            arrays.Timestamps[k] = batch.Timestamps[i];
            arrays.Values[k] = batch.Values[i];
            arrays.Received[k] = batch.Received[i];
            arrays.DeviceIds[k] = batch.DeviceIds[i];
        }
        return arrays;
    }

    public override ValueTask DisposeAsync() => connection.DisposeAsync();

    private async Task<long?> PendingRemovalAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT up_to FROM sensor_removals WHERE sensor = @sensor;", connection);
        command.Parameters.AddWithValue("sensor", sensor);
        return await command.ExecuteScalarAsync(cancellationToken) is long upTo ? upTo : null;
    }

    private async Task<int> ExecuteAsync(string sql, long upTo, int batch, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("sensor", sensor);
        command.Parameters.AddWithValue("upTo", upTo);
        if (batch > 0)
        {
            command.Parameters.AddWithValue("batch", batch);
        }
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record BatchArrays(long[] Timestamps, double[] Values, long[] Received, long?[] DeviceIds);
}
