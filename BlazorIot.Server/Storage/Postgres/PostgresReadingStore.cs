using System.Runtime.CompilerServices;
using BlazorIot.Shared.Readings;
using Npgsql;
using NpgsqlTypes;

namespace BlazorIot.Server.Storage.Postgres;

/// <summary>
/// The readings and sensors in PostgreSQL, shared by every instance. Writes come only from
/// <see cref="PostgresGroupCommitWriter"/>; times are stored as Unix milliseconds, as in SQLite, so
/// both providers answer exactly alike.
/// </summary>
public sealed class PostgresReadingStore(PostgresDatabase database) : ReadingStore
{
    public override string Location => database.Location;

    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await PostgresSchemaMigrations.ApplyAsync(connection, cancellationToken);
    }

    public override async Task<long> LastSequenceAsync(CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT value FROM facts WHERE name = 'last_seq';", cancellationToken);

    public override async IAsyncEnumerable<Reading> QueryAsync(
        string sensor, DateTimeOffset from, DateTimeOffset to, int? limit, bool newestFirst,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT {ReadingColumns} FROM readings
            WHERE sensor = @sensor AND ts >= @from AND ts < @to AND seq > {HiddenUpTo("@sensor")}
            ORDER BY ts {(newestFirst ? "DESC" : "ASC")}, seq {(newestFirst ? "DESC" : "ASC")}
            LIMIT @limit;
            """, connection);
        command.Parameters.AddWithValue("sensor", sensor);
        command.Parameters.AddWithValue("from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("to", to.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("limit", (object?)limit ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadReading(reader);
        }
    }

    public override async IAsyncEnumerable<Reading> ReplayAsync(
        long after, long upTo, IReadOnlySet<string>? sensors,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Imported readings are history, never live: a stream never replays them.
        await using var command = new NpgsqlCommand($"SELECT {ReadingColumns} FROM readings WHERE seq > @after AND seq <= @upTo AND imported IS NULL ORDER BY seq;", connection);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("upTo", upTo);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var reading = ReadReading(reader);
            if (sensors is null || sensors.Contains(reading.Sensor))
            {
                yield return reading;
            }
        }
    }

    public override async Task<IReadOnlyList<AggregateBucket>> AggregateAsync(
        string sensor, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT (ts / @bucket) * @bucket AS start, MIN(value), MAX(value), AVG(value), COUNT(*)
            FROM readings
            WHERE sensor = @sensor AND ts >= @from AND ts < @to AND seq > {HiddenUpTo("@sensor")}
            GROUP BY start
            ORDER BY start;
            """, connection);
        command.Parameters.AddWithValue("sensor", sensor);
        command.Parameters.AddWithValue("from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("to", to.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("bucket", (long)bucket.TotalMilliseconds);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadBucketsAsync(reader, cancellationToken);
    }

    public override async Task<IReadOnlyList<SensorInfo>> ListSensorsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {SensorColumns} FROM sensors ORDER BY id COLLATE \"C\";", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadSensorsAsync(reader, cancellationToken);
    }

    public override async Task<SensorInfo?> GetSensorAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {SensorColumns} FROM sensors WHERE id = @id;", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSensor(reader) : null;
    }

    public override async Task<SensorInfo> DescribeSensorAsync(
        string id, string? name, string? unit, int? decimals, string? description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = new NpgsqlCommand("""
            INSERT INTO sensors (id, name, unit, decimals, description, created) VALUES (@id, @name, @unit, @decimals, @description, @now)
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name, unit = excluded.unit, decimals = excluded.decimals, description = excluded.description;
            """, connection))
        {
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("name", NpgsqlDbType.Text, (object?)name ?? DBNull.Value);
            command.Parameters.AddWithValue("unit", NpgsqlDbType.Text, (object?)unit ?? DBNull.Value);
            command.Parameters.AddWithValue("decimals", NpgsqlDbType.Integer, (object?)decimals ?? DBNull.Value);
            command.Parameters.AddWithValue("description", NpgsqlDbType.Text, (object?)description ?? DBNull.Value);
            command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return (await GetSensorAsync(id, cancellationToken))!;
    }

    public override async Task<Dictionary<string, TimeSpan>> LoadSilenceLimitsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT id, silent_after_ms FROM sensors WHERE silent_after_ms IS NOT NULL;", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadSilenceLimitsAsync(reader, cancellationToken);
    }

    public override async Task<TimeSpan?> GetSilenceLimitAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT silent_after_ms FROM sensors WHERE id = @id;", connection);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is long milliseconds ? TimeSpan.FromMilliseconds(milliseconds) : null;
    }

    public override async Task SetSilenceLimitAsync(string id, TimeSpan? silentAfter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO sensors (id, created, silent_after_ms) VALUES (@id, @now, @after)
            ON CONFLICT (id) DO UPDATE SET silent_after_ms = excluded.silent_after_ms;
            """, connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("after", NpgsqlDbType.Bigint, silentAfter is { } after ? (long)after.TotalMilliseconds : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async Task<SensorRename> RenameSensorAsync(string from, string to, bool merge, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The writers' lock: no reading of either sensor commits while its readings move.
        await LockSequenceAsync(connection, transaction, cancellationToken);
        var moved = 0L;
        async Task<int> ExecuteAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.AddWithValue("from", from);
            command.Parameters.AddWithValue("to", to);
            command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("moved", moved);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        bool fromExists, toExists;
        await using (var exists = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM sensors WHERE id = @from), EXISTS (SELECT 1 FROM sensors WHERE id = @to);
            """, connection, transaction))
        {
            exists.Parameters.AddWithValue("from", from);
            exists.Parameters.AddWithValue("to", to);
            await using var reader = await exists.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (fromExists, toExists) = (reader.GetBoolean(0), reader.GetBoolean(1));
        }
        if (!fromExists)
        {
            return new SensorRename(RenameOutcome.UnknownSensor);
        }
        if (toExists && !merge)
        {
            return new SensorRename(RenameOutcome.TargetExists);
        }
        await ExecuteAsync($"""
            DELETE FROM readings WHERE sensor = @to AND seq <= {HiddenUpTo("@to")};
            DELETE FROM sensor_removals WHERE sensor = @to;
            """);
        // The same reading under both ids (same device id and time) is kept once, the target's; the ids
        // it leaves empty count as removed, so every instance's feed treats them as holes and a stream
        // resuming below them starts over. A reading whose device id the target has for another time is
        // kept without it: no (sensor, device id) twice.
        await ExecuteAsync($"""
            WITH duplicates AS (
                DELETE FROM readings f WHERE f.sensor = @from AND f.seq > {HiddenUpTo("@from")} AND f.device_id IS NOT NULL
                    AND EXISTS (SELECT 1 FROM readings t WHERE t.sensor = @to AND t.device_id = f.device_id AND t.ts = f.ts)
                RETURNING f.seq)
            UPDATE facts SET value = GREATEST(value, (SELECT MAX(seq) FROM duplicates))
                WHERE name = 'retention_horizon' AND EXISTS (SELECT 1 FROM duplicates);
            UPDATE readings SET device_id = NULL WHERE sensor = @from AND seq > {HiddenUpTo("@from")} AND device_id IN (
                SELECT device_id FROM readings WHERE sensor = @to AND device_id IS NOT NULL);
            """);
        moved = await ExecuteAsync($"UPDATE readings SET sensor = @to WHERE sensor = @from AND seq > {HiddenUpTo("@from")};");
        await ExecuteAsync(toExists
            ? $"""
                UPDATE sensors SET
                    reading_count = sensors.reading_count + @moved,
                    last_value = CASE WHEN f.last_ts > COALESCE(sensors.last_ts, f.last_ts - 1) THEN f.last_value ELSE sensors.last_value END,
                    last_ts = GREATEST(sensors.last_ts, f.last_ts),
                    created = LEAST(sensors.created, f.created),
                    name = COALESCE(sensors.name, f.name),
                    unit = COALESCE(sensors.unit, f.unit),
                    decimals = COALESCE(sensors.decimals, f.decimals),
                    description = COALESCE(sensors.description, f.description),
                    silent_after_ms = COALESCE(sensors.silent_after_ms, f.silent_after_ms),
                    renamed_from = @from,
                    {SqlMergedThresholds}
                FROM (SELECT * FROM sensors WHERE id = @from) AS f
                WHERE sensors.id = @to;
                DELETE FROM sensors WHERE id = @from;
                """
            : "UPDATE sensors SET id = @to, renamed_from = @from WHERE id = @from;");
        // At most one open alert per sensor: the target's stays open.
        await ExecuteAsync("""
            UPDATE alerts SET ended = @now
            WHERE sensor = @from AND ended IS NULL AND EXISTS (SELECT 1 FROM alerts WHERE sensor = @to AND ended IS NULL);
            UPDATE alerts SET sensor = @to WHERE sensor = @from;
            """);
        SensorInfo renamed;
        await using (var read = new NpgsqlCommand($"SELECT {SensorColumns} FROM sensors WHERE id = @id;", connection, transaction))
        {
            read.Parameters.AddWithValue("id", to);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            renamed = ReadSensor(reader);
        }
        await transaction.CommitAsync(cancellationToken);
        return new SensorRename(RenameOutcome.Renamed, renamed);
    }

    public override async Task<bool> DeleteSensorAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Under the writers' lock no id below the cut can commit after it.
        var cut = await LockSequenceAsync(connection, transaction, cancellationToken);
        await using var delete = new NpgsqlCommand("DELETE FROM sensors WHERE id = @id;", connection, transaction);
        delete.Parameters.AddWithValue("id", id);
        if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }
        await using var hide = new NpgsqlCommand("""
            DELETE FROM alerts WHERE sensor = @id;
            INSERT INTO sensor_removals (sensor, up_to) VALUES (@id, @cut)
                ON CONFLICT (sensor) DO UPDATE SET up_to = GREATEST(sensor_removals.up_to, excluded.up_to);
            UPDATE facts SET value = GREATEST(value, @cut) WHERE name = 'retention_horizon';
            """, connection, transaction);
        hide.Parameters.AddWithValue("id", id);
        hide.Parameters.AddWithValue("cut", cut);
        await hide.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public override async Task<IReadOnlyList<string>> PendingRemovalsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT sensor FROM sensor_removals ORDER BY sensor COLLATE \"C\";", connection);
        var sensors = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sensors.Add(reader.GetString(0));
        }
        return sensors;
    }

    public override async Task<int> RemoveDeletedReadingsAsync(string sensor, int batch, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        int removed;
        await using (var remove = new NpgsqlCommand($"""
            DELETE FROM readings WHERE seq IN (
                SELECT seq FROM readings WHERE sensor = @sensor AND seq <= {HiddenUpTo("@sensor")} LIMIT @batch);
            """, connection, transaction))
        {
            remove.Parameters.AddWithValue("sensor", sensor);
            remove.Parameters.AddWithValue("batch", batch);
            removed = await remove.ExecuteNonQueryAsync(cancellationToken);
        }
        if (removed < batch)
        {
            await using var done = new NpgsqlCommand("""
                DELETE FROM sensor_removals x WHERE x.sensor = @sensor
                    AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.sensor = x.sensor AND r.seq <= x.up_to);
                """, connection, transaction);
            done.Parameters.AddWithValue("sensor", sensor);
            await done.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    public override async Task<long> RetentionHorizonAsync(CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT value FROM facts WHERE name = 'retention_horizon';", cancellationToken);

    public override async Task<int> RemoveOlderThanAsync(string sensor, DateTimeOffset cutoff, int batch, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        int removed;
        long highest;
        // Hidden readings of a deleted sensor are not counted in its row: the removal sweep takes them.
        await using (var remove = new NpgsqlCommand($"""
            WITH gone AS (
                DELETE FROM readings WHERE seq IN (
                    SELECT seq FROM readings WHERE sensor = @sensor AND ts < @cutoff AND seq > {HiddenUpTo("@sensor")} ORDER BY ts LIMIT @batch)
                RETURNING seq)
            SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM gone;
            """, connection, transaction))
        {
            remove.Parameters.AddWithValue("sensor", sensor);
            remove.Parameters.AddWithValue("cutoff", cutoff.ToUnixTimeMilliseconds());
            remove.Parameters.AddWithValue("batch", batch);
            await using var reader = await remove.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            removed = (int)reader.GetInt64(0);
            highest = reader.GetInt64(1);
        }
        if (removed > 0)
        {
            await using var account = new NpgsqlCommand("""
                UPDATE sensors SET reading_count = reading_count - @removed WHERE id = @sensor;
                UPDATE facts SET value = GREATEST(value, @highest) WHERE name = 'retention_horizon';
                """, connection, transaction);
            account.Parameters.AddWithValue("removed", (long)removed);
            account.Parameters.AddWithValue("sensor", sensor);
            account.Parameters.AddWithValue("highest", highest);
            await account.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>A merge's thresholds: the target's when it has a limit set, else the source's (low, high and hysteresis go together).</summary>
    private const string SqlMergedThresholds = """
        threshold_low = CASE WHEN sensors.threshold_low IS NULL AND sensors.threshold_high IS NULL THEN f.threshold_low ELSE sensors.threshold_low END,
        threshold_high = CASE WHEN sensors.threshold_low IS NULL AND sensors.threshold_high IS NULL THEN f.threshold_high ELSE sensors.threshold_high END,
        hysteresis = CASE WHEN sensors.threshold_low IS NULL AND sensors.threshold_high IS NULL THEN f.hysteresis ELSE sensors.hysteresis END
        """;

    /// <summary>Takes the row lock every writer takes before it gives ids; returns the highest id given so far.</summary>
    private static async Task<long> LockSequenceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var take = new NpgsqlCommand("SELECT value FROM facts WHERE name = 'last_seq' FOR UPDATE;", connection, transaction);
        return (long)(await take.ExecuteScalarAsync(cancellationToken))!;
    }
}
