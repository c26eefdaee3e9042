using System.Runtime.CompilerServices;
using BlazorIot.Shared.Readings;
using Npgsql;

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
            WHERE sensor = @sensor AND ts >= @from AND ts < @to
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
        await using var command = new NpgsqlCommand("""
            SELECT (ts / @bucket) * @bucket AS start, MIN(value), MAX(value), AVG(value), COUNT(*)
            FROM readings
            WHERE sensor = @sensor AND ts >= @from AND ts < @to
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

    public override async Task<SensorInfo> DescribeSensorAsync(string id, string? name, string? unit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = new NpgsqlCommand("""
            INSERT INTO sensors (id, name, unit, created) VALUES (@id, @name, @unit, @now)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, unit = excluded.unit;
            """, connection))
        {
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("name", (object?)name ?? DBNull.Value);
            command.Parameters.AddWithValue("unit", (object?)unit ?? DBNull.Value);
            command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return (await GetSensorAsync(id, cancellationToken))!;
    }

    public override async Task<long> RetentionHorizonAsync(CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT value FROM facts WHERE name = 'retention_horizon';", cancellationToken);

    public override async Task<int> RemoveOlderThanAsync(string sensor, DateTimeOffset cutoff, int batch, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        int removed;
        long highest;
        await using (var remove = new NpgsqlCommand("""
            WITH gone AS (
                DELETE FROM readings WHERE seq IN (
                    SELECT seq FROM readings WHERE sensor = @sensor AND ts < @cutoff ORDER BY ts LIMIT @batch)
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
}
