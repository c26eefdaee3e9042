using BlazorIot.Server.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace BlazorIot.Server.Import;

/// <summary>
/// One import into PostgreSQL, on a connection of its own. Each batch takes its ids as every
/// instance's writer does (<see cref="PostgresGroupCommitWriter"/>): under the <c>last_seq</c> row
/// lock, dense, in commit order, so every feed sees the batch's ids follow on; the feeds count them
/// but publish none.
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
        // Under the lock every writer takes, what the sensor already has is known exactly: the rest
        // get ids that follow on (a hole would stall every feed) and go in by COPY, the fastest way in.
        var existing = await ExistingAsync(rows, before, transaction, cancellationToken);
        var next = last;
        var newest = (Timestamp: long.MinValue, Value: 0.0);
        if (existing.Count < rows.Count)
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                "COPY readings (seq, sensor, value, ts, received, device_id, imported) FROM STDIN (FORMAT BINARY);", cancellationToken);
            for (var i = 0; i < rows.Count; i++)
            {
                if (existing.Contains(i))
                {
                    continue;
                }
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(++next, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(sensor, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(rows.Values[i], NpgsqlDbType.Double, cancellationToken);
                await copy.WriteAsync(rows.Timestamps[i], NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(rows.Received[i], NpgsqlDbType.Bigint, cancellationToken);
                if (rows.DeviceIds[i] is { } deviceId)
                {
                    await copy.WriteAsync(deviceId, NpgsqlDbType.Bigint, cancellationToken);
                }
                else
                {
                    await copy.WriteNullAsync(cancellationToken);
                }
                await copy.WriteAsync(true, NpgsqlDbType.Boolean, cancellationToken);
                if (rows.Timestamps[i] >= newest.Timestamp)
                {
                    newest = (rows.Timestamps[i], rows.Values[i]);
                }
            }
            await copy.CompleteAsync(cancellationToken);
        }
        var stored = next - last;
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
            account.Parameters.AddWithValue("last", next);
            account.Parameters.AddWithValue("sensor", sensor);
            account.Parameters.AddWithValue("created", created);
            account.Parameters.AddWithValue("count", stored);
            account.Parameters.AddWithValue("newest_value", newest.Value);
            account.Parameters.AddWithValue("newest_ts", newest.Timestamp);
            account.Parameters.AddWithValue("channel", PostgresFeed.Channel);
            await account.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        if (stored > 0)
        {
            // The feeds count the new ids (and publish none of them) before the next live reading's.
            feed.Wake();
            redis.Announce(next);
        }
        return stored;
    }

    /// <summary>
    /// The rows the sensor already has, by their place in <paramref name="rows"/>: the same device id,
    /// or, without one, a reading at the same time stored before the import began.
    /// </summary>
    private async Task<HashSet<int>> ExistingAsync(BatchArrays rows, long before, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var existing = new HashSet<int>();
        // One index probe a row, whatever the statistics: as EXISTS, PostgreSQL may choose to hash
        // every reading of the sensor instead, which grows with the sensor's history.
        await using var find = new NpgsqlCommand("""
            SELECT i.n FROM unnest(@ts, @device) WITH ORDINALITY AS i(ts, device_id, n),
                LATERAL (SELECT 1 FROM readings r WHERE r.sensor = @sensor AND r.device_id = i.device_id LIMIT 1) found
            WHERE i.device_id IS NOT NULL
            UNION ALL
            SELECT i.n FROM unnest(@ts, @device) WITH ORDINALITY AS i(ts, device_id, n),
                LATERAL (SELECT 1 FROM readings r WHERE r.sensor = @sensor AND r.ts = i.ts AND r.seq <= @before LIMIT 1) found
            WHERE i.device_id IS NULL;
            """, connection, transaction);
        find.Parameters.AddWithValue("ts", NpgsqlDbType.Array | NpgsqlDbType.Bigint, rows.Timestamps);
        find.Parameters.AddWithValue("device", NpgsqlDbType.Array | NpgsqlDbType.Bigint, rows.DeviceIds);
        find.Parameters.AddWithValue("sensor", sensor);
        find.Parameters.AddWithValue("before", before);
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            existing.Add((int)reader.GetInt64(0) - 1);
        }
        return existing;
    }

    /// <summary>
    /// The batch's rows as arrays of its length, without a repeated device id (a later row with the
    /// same id is a duplicate: the look-up of what the sensor already has does not see the batch's own rows).
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

    private sealed record BatchArrays(long[] Timestamps, double[] Values, long[] Received, long?[] DeviceIds)
    {
        public int Count => Timestamps.Length;
    }
}
