using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BlazorIot.Server.Storage;

/// <summary>
/// The group commit's fast path for readings without a device id (nothing to deduplicate):
/// multi-row INSERT statements prepared once and bound through SQLite's own API, without a data
/// reader per row. Their sequence ids follow from <c>last_insert_rowid()</c>: within the single
/// writer's transaction the rows of one statement get consecutive ids in VALUES order.
/// </summary>
/// <remarks>Used only on the writer thread, inside its open transaction.</remarks>
internal sealed class BulkReadingInsert : IDisposable
{
    public const int RowsPerStatement = 64;
    private const int Columns = 4;

    private readonly sqlite3 database;
    private readonly sqlite3_stmt?[] statements = new sqlite3_stmt?[RowsPerStatement + 1];
    private readonly Dictionary<string, byte[]> sensorNames = new(StringComparer.Ordinal);

    public BulkReadingInsert(SqliteConnection connection) => database = connection.Handle!;

    /// <summary>Inserts <paramref name="readings"/> and writes each one's sequence id into <paramref name="ids"/>, in order.</summary>
    public void Insert(ReadOnlySpan<NewReading> readings, Span<long> ids)
    {
        while (!readings.IsEmpty)
        {
            var rows = Math.Min(readings.Length, RowsPerStatement);
            var statement = StatementFor(rows);
            for (var row = 0; row < rows; row++)
            {
                var reading = readings[row];
                var at = row * Columns;
                Check(raw.sqlite3_bind_text(statement, at + 1, Utf8(reading.Sensor)));
                Check(raw.sqlite3_bind_double(statement, at + 2, reading.Value));
                Check(raw.sqlite3_bind_int64(statement, at + 3, reading.Timestamp.ToUnixTimeMilliseconds()));
                Check(raw.sqlite3_bind_int64(statement, at + 4, reading.Received.ToUnixTimeMilliseconds()));
            }
            var step = raw.sqlite3_step(statement);
            raw.sqlite3_reset(statement);
            if (step != raw.SQLITE_DONE)
            {
                throw Failure(step);
            }
            var last = raw.sqlite3_last_insert_rowid(database);
            for (var row = 0; row < rows; row++)
            {
                ids[row] = last - rows + 1 + row;
            }
            readings = readings[rows..];
            ids = ids[rows..];
        }
    }

    private sqlite3_stmt StatementFor(int rows)
    {
        if (statements[rows] is { } prepared)
        {
            return prepared;
        }
        var sql = new StringBuilder("INSERT INTO readings (sensor, value, ts, received, device_id) VALUES ");
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(?, ?, ?, ?, NULL)" : ", (?, ?, ?, ?, NULL)");
        }
        Check(raw.sqlite3_prepare_v2(database, sql.ToString(), out var statement));
        return statements[rows] = statement;
    }

    // Sensor ids are few; their UTF-8 bytes are made once, not per row.
    private utf8z Utf8(string sensor)
    {
        if (!sensorNames.TryGetValue(sensor, out var bytes))
        {
            if (sensorNames.Count > 10_000)
            {
                sensorNames.Clear();
            }
            bytes = Encoding.UTF8.GetBytes(sensor + "\0");
            sensorNames[sensor] = bytes;
        }
        return utf8z.FromSpan(bytes);
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw Failure(result);
        }
    }

    private SqliteException Failure(int result) => new(raw.sqlite3_errmsg(database).utf8_to_string(), result);

    public void Dispose()
    {
        foreach (var statement in statements)
        {
            statement?.Dispose();
        }
    }
}
