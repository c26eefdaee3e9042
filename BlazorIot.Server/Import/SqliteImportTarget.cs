using BlazorIot.Server.Storage;
using Microsoft.Data.Sqlite;

namespace BlazorIot.Server.Import;

/// <summary>
/// One import into SQLite, on a connection of its own with a larger page cache: the batches touch
/// the same index pages over and over, and with SQLite's default 2 MB most of each batch's time
/// went to reading them again (docs/benchmarks.md). Each batch takes its turn at the write lock
/// between the group commits (<see cref="SqliteWriteTurns"/>), so ingest waits at most one batch;
/// sequence ids come from AUTOINCREMENT as for every reading.
/// </summary>
public sealed class SqliteImportTarget : ImportTarget
{
    /// <summary>The import connection's page cache, in KiB (SQLite's own default is 2000).</summary>
    public const int CacheKib = 16 * 1024;

    private const int DefaultCacheKib = 2000;

    private const string FileLost =
        "The server's database file was removed or replaced while the server was running: the import cannot be stored until the server is restarted.";

    private readonly SqliteConnection connection;
    private readonly SqliteWriteTurns turns;
    private readonly StoreFileWatch fileWatch;
    private readonly string sensor;
    private readonly long created;
    private SqliteImportInsert? insert;
    private SensorTotalsUpsert? totals;

    private SqliteImportTarget(SqliteConnection connection, SqliteWriteTurns turns, StoreFileWatch fileWatch, string sensor, long created)
    {
        this.connection = connection;
        this.turns = turns;
        this.fileWatch = fileWatch;
        this.sensor = sensor;
        this.created = created;
    }

    public static async Task<SqliteImportTarget> OpenAsync(
        SqliteDatabase database, SqliteWriteTurns turns, StoreFileWatch fileWatch, string sensor, long created, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await SetCacheAsync(connection, CacheKib, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return new SqliteImportTarget(connection, turns, fileWatch, sensor, created);
    }

    public override async Task ClearPendingRemovalAsync(int batchRows, CancellationToken cancellationToken)
    {
        while (await PendingRemovalAsync(cancellationToken) is { } upTo)
        {
            // Until none is left: the background sweeper may be removing the same rows meanwhile.
            while (await InTurnAsync(() => Execute("""
                DELETE FROM readings WHERE seq IN (SELECT seq FROM readings WHERE sensor = $sensor AND seq <= $upTo LIMIT $batch);
                """, upTo, batchRows), cancellationToken) > 0)
            {
            }
            // Kept when the sensor was deleted again meanwhile (a higher up_to): the next round removes those rows too.
            await InTurnAsync(() => Execute("DELETE FROM sensor_removals WHERE sensor = $sensor AND up_to = $upTo;", upTo, batch: 0), cancellationToken);
        }
    }

    public override Task<long> StoreBatchAsync(ImportBatch batch, long before, CancellationToken cancellationToken) =>
        InTurnAsync(() =>
        {
            using var transaction = connection.BeginTransaction();
            insert ??= new SqliteImportInsert(connection, sensor, before);
            totals ??= new SensorTotalsUpsert(connection);
            var newest = (Timestamp: long.MinValue, Value: 0.0);
            var stored = insert.Insert(batch, 0, batch.Count, ref newest);
            if (stored > 0)
            {
                totals.Add(transaction, sensor, stored, created, newest.Value, newest.Timestamp);
            }
            transaction.Commit();
            // As the group commit: rows committed into a removed or replaced file would be gone after a restart.
            if (!fileWatch.FileIsInPlace())
            {
                throw new StoreUnavailableException(FileLost);
            }
            return stored;
        }, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        insert?.Dispose();
        totals?.Dispose();
        try
        {
            // The connection goes back to the pool: with the cache every other connection has.
            await SetCacheAsync(connection, DefaultCacheKib, CancellationToken.None);
        }
        catch (SqliteException)
        {
            // Then it is closed with the cache it had; nothing else depends on it.
        }
        await connection.DisposeAsync();
    }

    private async Task<T> InTurnAsync<T>(Func<T> write, CancellationToken cancellationToken)
    {
        await turns.EnterBulkAsync(cancellationToken);
        try
        {
            if (fileWatch.Lost)
            {
                throw new StoreUnavailableException(FileLost);
            }
            return write();
        }
        finally
        {
            turns.ExitBulk();
        }
    }

    private async Task<long?> PendingRemovalAsync(CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT up_to FROM sensor_removals WHERE sensor = $sensor;";
        command.Parameters.AddWithValue("$sensor", sensor);
        return await command.ExecuteScalarAsync(cancellationToken) is long upTo ? upTo : null;
    }

    private int Execute(string sql, long upTo, int batch)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$sensor", sensor);
        command.Parameters.AddWithValue("$upTo", upTo);
        if (batch > 0)
        {
            command.Parameters.AddWithValue("$batch", batch);
        }
        return command.ExecuteNonQuery();
    }

    private static async Task SetCacheAsync(SqliteConnection connection, int kib, CancellationToken cancellationToken)
    {
        await using var pragma = connection.CreateCommand();
        // A negative size is in KiB.
        pragma.CommandText = $"PRAGMA cache_size = -{kib};";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
    }
}
