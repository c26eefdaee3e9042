using System.Runtime.CompilerServices;
using BlazorIot.Shared.Readings;
using Microsoft.Data.Sqlite;

namespace BlazorIot.Server.Storage;

/// <summary>
/// The readings and sensors in SQLite. Readings come in only through <see cref="GroupCommitWriter"/>
/// (one connection, one transaction per group); renames, deletions and background removals write in
/// their own short transactions, taking turns with it (<see cref="SqliteDatabase.WriteTurns"/>);
/// everything else reads on its own pooled connection, beside the writer thanks to WAL.
/// </summary>
public sealed class SqliteReadingStore(SqliteDatabase database) : ReadingStore
{
    public SqliteDatabase Database { get; } = database;

    public override string Location => Database.Path;

    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await SchemaMigrations.ApplyAsync(connection, cancellationToken);
    }

    public override async Task<long> LastSequenceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'readings'), 0);";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public override async IAsyncEnumerable<Reading> QueryAsync(
        string sensor, DateTimeOffset from, DateTimeOffset to, int? limit, bool newestFirst,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {ReadingColumns} FROM readings
            WHERE sensor = $sensor AND ts >= $from AND ts < $to AND seq > {HiddenUpTo("$sensor")}
            ORDER BY ts {(newestFirst ? "DESC" : "ASC")}, seq {(newestFirst ? "DESC" : "ASC")}
            LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$sensor", sensor);
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$limit", limit ?? -1);
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
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Imported readings are history, never live: a stream never replays them.
        command.CommandText = $"SELECT {ReadingColumns} FROM readings WHERE seq > $after AND seq <= $upTo AND imported IS NULL ORDER BY seq;";
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$upTo", upTo);
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
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT (ts / $bucket) * $bucket AS start, MIN(value), MAX(value), AVG(value), COUNT(*)
            FROM readings
            WHERE sensor = $sensor AND ts >= $from AND ts < $to AND seq > {HiddenUpTo("$sensor")}
            GROUP BY start
            ORDER BY start;
            """;
        command.Parameters.AddWithValue("$sensor", sensor);
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$bucket", (long)bucket.TotalMilliseconds);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadBucketsAsync(reader, cancellationToken);
    }

    public override async Task<IReadOnlyList<SensorInfo>> ListSensorsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SensorColumns} FROM sensors ORDER BY id;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadSensorsAsync(reader, cancellationToken);
    }

    public override async Task<SensorInfo?> GetSensorAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SensorColumns} FROM sensors WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSensor(reader) : null;
    }

    public override async Task<SensorInfo> DescribeSensorAsync(
        string id, string? name, string? unit, int? decimals, string? description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await Database.InWriteTurnAsync(async () =>
        {
            await using var connection = await Database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO sensors (id, name, unit, decimals, description, created) VALUES ($id, $name, $unit, $decimals, $description, $now)
                ON CONFLICT (id) DO UPDATE SET
                    name = excluded.name, unit = excluded.unit, decimals = excluded.decimals, description = excluded.description;
                """;
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$name", (object?)name ?? DBNull.Value);
            command.Parameters.AddWithValue("$unit", (object?)unit ?? DBNull.Value);
            command.Parameters.AddWithValue("$decimals", (object?)decimals ?? DBNull.Value);
            command.Parameters.AddWithValue("$description", (object?)description ?? DBNull.Value);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        return (await GetSensorAsync(id, cancellationToken))!;
    }

    public override async Task<Dictionary<string, TimeSpan>> LoadSilenceLimitsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, silent_after_ms FROM sensors WHERE silent_after_ms IS NOT NULL;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadSilenceLimitsAsync(reader, cancellationToken);
    }

    public override async Task<TimeSpan?> GetSilenceLimitAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT silent_after_ms FROM sensors WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is long milliseconds ? TimeSpan.FromMilliseconds(milliseconds) : null;
    }

    public override async Task SetSilenceLimitAsync(string id, TimeSpan? silentAfter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await Database.InWriteTurnAsync(async () =>
        {
            await using var connection = await Database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO sensors (id, created, silent_after_ms) VALUES ($id, $now, $after)
                ON CONFLICT (id) DO UPDATE SET silent_after_ms = excluded.silent_after_ms;
                """;
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$after", silentAfter is { } after ? (long)after.TotalMilliseconds : DBNull.Value);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    private async Task<SensorRename> RenameSensorInTurnAsync(string from, string to, bool merge, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        // IMMEDIATE (the default): the write lock from the start, so no commit interleaves.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var moved = 0L;
        async Task<long> ExecuteAsync(string sql)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.Parameters.AddWithValue("$from", from);
            command.Parameters.AddWithValue("$to", to);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$moved", moved);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        var (fromExists, toExists) = await ExistsAsync(connection, transaction, from, to, cancellationToken);
        if (!fromExists)
        {
            return new SensorRename(RenameOutcome.UnknownSensor);
        }
        if (toExists && !merge)
        {
            return new SensorRename(RenameOutcome.TargetExists);
        }
        await ExecuteAsync($"""
            DELETE FROM readings WHERE sensor = $to AND seq <= {HiddenUpTo("$to")};
            DELETE FROM sensor_removals WHERE sensor = $to;
            """);
        // The same reading under both ids (same device id and time) is kept once, the target's; the ids
        // it leaves empty count as removed, so a stream resuming below them starts over. A reading whose
        // device id the target has for another time is kept without it: no (sensor, device id) twice.
        await ExecuteAsync($"""
            INSERT INTO facts (name, value)
                SELECT 'retention_horizon', MAX(f.seq) FROM readings f
                WHERE f.sensor = $from AND f.seq > {HiddenUpTo("$from")} AND f.device_id IS NOT NULL
                    AND EXISTS (SELECT 1 FROM readings t WHERE t.sensor = $to AND t.device_id = f.device_id AND t.ts = f.ts)
                HAVING MAX(f.seq) IS NOT NULL
                ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value);
            DELETE FROM readings WHERE sensor = $from AND seq > {HiddenUpTo("$from")} AND device_id IS NOT NULL
                AND EXISTS (SELECT 1 FROM readings t WHERE t.sensor = $to AND t.device_id = readings.device_id AND t.ts = readings.ts);
            UPDATE readings SET device_id = NULL WHERE sensor = $from AND seq > {HiddenUpTo("$from")} AND device_id IN (
                SELECT device_id FROM readings WHERE sensor = $to AND device_id IS NOT NULL);
            """);
        moved = await ExecuteAsync($"UPDATE readings SET sensor = $to WHERE sensor = $from AND seq > {HiddenUpTo("$from")};");
        await ExecuteAsync(toExists
            ? $"""
                UPDATE sensors SET
                    reading_count = sensors.reading_count + $moved,
                    last_value = CASE WHEN f.last_ts > COALESCE(sensors.last_ts, f.last_ts - 1) THEN f.last_value ELSE sensors.last_value END,
                    last_ts = MAX(COALESCE(sensors.last_ts, f.last_ts), COALESCE(f.last_ts, sensors.last_ts)),
                    created = MIN(sensors.created, f.created),
                    name = COALESCE(sensors.name, f.name),
                    unit = COALESCE(sensors.unit, f.unit),
                    decimals = COALESCE(sensors.decimals, f.decimals),
                    description = COALESCE(sensors.description, f.description),
                    silent_after_ms = COALESCE(sensors.silent_after_ms, f.silent_after_ms),
                    renamed_from = $from,
                    {SqlMergedThresholds}
                FROM (SELECT * FROM sensors WHERE id = $from) AS f
                WHERE sensors.id = $to;
                DELETE FROM sensors WHERE id = $from;
                """
            : "UPDATE sensors SET id = $to, renamed_from = $from WHERE id = $from;");
        await ExecuteAsync("""
            UPDATE alerts SET ended = $now
            WHERE sensor = $from AND ended IS NULL AND EXISTS (SELECT 1 FROM alerts WHERE sensor = $to AND ended IS NULL);
            UPDATE alerts SET sensor = $to WHERE sensor = $from;
            """);
        var renamed = await ReadSensorAsync(connection, transaction, to, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SensorRename(RenameOutcome.Renamed, renamed);
    }

    private async Task<bool> DeleteSensorInTurnAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        // IMMEDIATE: the write lock is taken before the cut is read, so no id below it can commit later.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM sensors WHERE id = $id;";
        delete.Parameters.AddWithValue("$id", id);
        if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }
        await using var hide = connection.CreateCommand();
        hide.Transaction = transaction;
        hide.CommandText = """
            DELETE FROM alerts WHERE sensor = $id;
            INSERT INTO sensor_removals (sensor, up_to) VALUES ($id, (SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'readings'), 0)))
                ON CONFLICT (sensor) DO UPDATE SET up_to = MAX(up_to, excluded.up_to);
            INSERT INTO facts (name, value) VALUES ('retention_horizon', (SELECT up_to FROM sensor_removals WHERE sensor = $id))
                ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value);
            """;
        hide.Parameters.AddWithValue("$id", id);
        await hide.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public override async Task<IReadOnlyList<string>> PendingRemovalsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sensor FROM sensor_removals ORDER BY sensor;";
        var sensors = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sensors.Add(reader.GetString(0));
        }
        return sensors;
    }

    private async Task<int> RemoveDeletedReadingsInTurnAsync(string sensor, int batch, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var remove = connection.CreateCommand();
        remove.Transaction = transaction;
        remove.CommandText = $"""
            DELETE FROM readings WHERE seq IN (
                SELECT seq FROM readings WHERE sensor = $sensor AND seq <= {HiddenUpTo("$sensor")} LIMIT $batch);
            """;
        remove.Parameters.AddWithValue("$sensor", sensor);
        remove.Parameters.AddWithValue("$batch", batch);
        var removed = await remove.ExecuteNonQueryAsync(cancellationToken);
        if (removed < batch)
        {
            await using var done = connection.CreateCommand();
            done.Transaction = transaction;
            done.CommandText = $"""
                DELETE FROM sensor_removals WHERE sensor = $sensor
                    AND NOT EXISTS (SELECT 1 FROM readings WHERE sensor = $sensor AND seq <= {HiddenUpTo("$sensor")});
                """;
            done.Parameters.AddWithValue("$sensor", sensor);
            await done.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    public override async Task<long> RetentionHorizonAsync(CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE((SELECT value FROM facts WHERE name = 'retention_horizon'), 0);";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<int> RemoveOlderThanInTurnAsync(string sensor, DateTimeOffset cutoff, int batch, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var remove = connection.CreateCommand();
        remove.Transaction = transaction;
        // Hidden readings of a deleted sensor are not counted in its row: the removal sweep takes them.
        remove.CommandText = $"""
            DELETE FROM readings WHERE seq IN (
                SELECT seq FROM readings WHERE sensor = $sensor AND ts < $cutoff AND seq > {HiddenUpTo("$sensor")} ORDER BY ts LIMIT $batch)
            RETURNING seq;
            """;
        remove.Parameters.AddWithValue("$sensor", sensor);
        remove.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
        remove.Parameters.AddWithValue("$batch", batch);
        var removed = 0;
        var highest = 0L;
        await using (var reader = await remove.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                removed++;
                highest = Math.Max(highest, reader.GetInt64(0));
            }
        }
        if (removed > 0)
        {
            await using var account = connection.CreateCommand();
            account.Transaction = transaction;
            account.CommandText = """
                UPDATE sensors SET reading_count = reading_count - $removed WHERE id = $sensor;
                INSERT INTO facts (name, value) VALUES ('retention_horizon', $highest)
                    ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value);
                """;
            account.Parameters.AddWithValue("$removed", removed);
            account.Parameters.AddWithValue("$sensor", sensor);
            account.Parameters.AddWithValue("$highest", highest);
            await account.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    public override Task<SensorRename> RenameSensorAsync(string from, string to, bool merge, DateTimeOffset now, CancellationToken cancellationToken) =>
        Database.InWriteTurnAsync(() => RenameSensorInTurnAsync(from, to, merge, now, cancellationToken), cancellationToken);

    public override Task<bool> DeleteSensorAsync(string id, CancellationToken cancellationToken) =>
        Database.InWriteTurnAsync(() => DeleteSensorInTurnAsync(id, cancellationToken), cancellationToken);

    public override Task<int> RemoveDeletedReadingsAsync(string sensor, int batch, CancellationToken cancellationToken) =>
        Database.InWriteTurnAsync(() => RemoveDeletedReadingsInTurnAsync(sensor, batch, cancellationToken), cancellationToken);

    public override Task<int> RemoveOlderThanAsync(string sensor, DateTimeOffset cutoff, int batch, CancellationToken cancellationToken) =>
        Database.InWriteTurnAsync(() => RemoveOlderThanInTurnAsync(sensor, cutoff, batch, cancellationToken), cancellationToken);


    /// <summary>A merge's thresholds: the target's when it has a limit set, else the source's (low, high and hysteresis go together).</summary>
    private const string SqlMergedThresholds = """
        threshold_low = CASE WHEN sensors.threshold_low IS NULL AND sensors.threshold_high IS NULL THEN f.threshold_low ELSE sensors.threshold_low END,
        threshold_high = CASE WHEN sensors.threshold_low IS NULL AND sensors.threshold_high IS NULL THEN f.threshold_high ELSE sensors.threshold_high END,
        hysteresis = CASE WHEN sensors.threshold_low IS NULL AND sensors.threshold_high IS NULL THEN f.hysteresis ELSE sensors.hysteresis END
        """;

    private static async Task<(bool From, bool To)> ExistsAsync(
        SqliteConnection connection, SqliteTransaction transaction, string from, string to, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM sensors WHERE id = $from), EXISTS (SELECT 1 FROM sensors WHERE id = $to);";
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetBoolean(0), reader.GetBoolean(1));
    }

    private static async Task<SensorInfo> ReadSensorAsync(SqliteConnection connection, SqliteTransaction transaction, string id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {SensorColumns} FROM sensors WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadSensor(reader);
    }
}
