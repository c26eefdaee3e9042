using System.Runtime.CompilerServices;
using BlazorIot.Shared.Readings;
using Microsoft.Data.Sqlite;

namespace BlazorIot.Server.Storage;

/// <summary>
/// The readings and sensors in SQLite. Writes come only from <see cref="GroupCommitWriter"/> (one
/// connection, one transaction per group); everything else reads on its own pooled connection,
/// beside the writer thanks to WAL.
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
            WHERE sensor = $sensor AND ts >= $from AND ts < $to
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
        command.CommandText = """
            SELECT (ts / $bucket) * $bucket AS start, MIN(value), MAX(value), AVG(value), COUNT(*)
            FROM readings
            WHERE sensor = $sensor AND ts >= $from AND ts < $to
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

    public override async Task<SensorInfo> DescribeSensorAsync(string id, string? name, string? unit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var connection = await Database.OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                INSERT INTO sensors (id, name, unit, created) VALUES ($id, $name, $unit, $now)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, unit = excluded.unit;
                """;
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$name", (object?)name ?? DBNull.Value);
            command.Parameters.AddWithValue("$unit", (object?)unit ?? DBNull.Value);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return (await GetSensorAsync(id, cancellationToken))!;
    }

    public override async Task<long> RetentionHorizonAsync(CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE((SELECT value FROM facts WHERE name = 'retention_horizon'), 0);";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public override async Task<int> RemoveOlderThanAsync(string sensor, DateTimeOffset cutoff, int batch, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var remove = connection.CreateCommand();
        remove.Transaction = transaction;
        remove.CommandText = """
            DELETE FROM readings WHERE seq IN (
                SELECT seq FROM readings WHERE sensor = $sensor AND ts < $cutoff ORDER BY ts LIMIT $batch)
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
}
