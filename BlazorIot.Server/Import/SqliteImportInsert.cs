using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BlazorIot.Server.Import;

/// <summary>
/// SQLite's insert of imported rows: multi-row statements prepared once per import and bound
/// through SQLite's own API, as the group commit's bulk path does, since a large import runs them
/// for millions of rows (one statement a row spent most of its time opening and seeking the table's
/// and both indexes' cursors again). A row is skipped when the sensor already has its device id, or,
/// without a device id, when the sensor had a reading at that time before the import began.
/// </summary>
/// <remarks>Used inside the import's open transaction on its connection.</remarks>
internal sealed class SqliteImportInsert : IDisposable
{
    public const int RowsPerStatement = 64;
    private const int Columns = 4;
    private const int FirstRowParameter = 3;

    private readonly sqlite3 database;
    private readonly byte[] sensor;
    private readonly long before;
    private readonly sqlite3_stmt?[] statements = new sqlite3_stmt?[RowsPerStatement + 1];

    /// <param name="before">The highest sequence id before the import: what rows without a device id are compared with.</param>
    public SqliteImportInsert(SqliteConnection connection, string sensor, long before)
    {
        database = connection.Handle!;
        this.sensor = Encoding.UTF8.GetBytes(sensor + "\0");
        this.before = before;
    }

    /// <summary>Inserts rows [<paramref name="from"/>, <paramref name="from"/> + <paramref name="count"/>) of the batch; returns how many were new.</summary>
    /// <param name="newest">The newest stored row so far by timestamp (a later row wins a tie), updated with these rows.</param>
    public long Insert(ImportBatch batch, int from, int count, ref (long Timestamp, double Value) newest)
    {
        long stored = 0;
        while (count > 0)
        {
            var rows = Math.Min(count, RowsPerStatement);
            var statement = StatementFor(rows);
            for (var row = 0; row < rows; row++)
            {
                var i = from + row;
                var at = FirstRowParameter + (row * Columns);
                Check(raw.sqlite3_bind_int64(statement, at, batch.Timestamps[i]));
                Check(raw.sqlite3_bind_double(statement, at + 1, batch.Values[i]));
                Check(raw.sqlite3_bind_int64(statement, at + 2, batch.Received[i]));
                Check(batch.DeviceIds[i] is { } id ? raw.sqlite3_bind_int64(statement, at + 3, id) : raw.sqlite3_bind_null(statement, at + 3));
            }
            int step;
            while ((step = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                stored++;
                var timestamp = raw.sqlite3_column_int64(statement, 0);
                if (timestamp >= newest.Timestamp)
                {
                    newest = (timestamp, raw.sqlite3_column_double(statement, 1));
                }
            }
            raw.sqlite3_reset(statement);
            if (step != raw.SQLITE_DONE)
            {
                throw Failure(step);
            }
            from += rows;
            count -= rows;
        }
        return stored;
    }

    private sqlite3_stmt StatementFor(int rows)
    {
        if (statements[rows] is { } prepared)
        {
            return prepared;
        }
        var sql = new StringBuilder("""
            INSERT INTO readings (sensor, value, ts, received, device_id, imported)
            SELECT ?1, v.column2, v.column1, v.column3, v.column4, 1 FROM (VALUES
            """);
        for (var row = 0; row < rows; row++)
        {
            var at = FirstRowParameter + (row * Columns);
            sql.Append(row == 0 ? " " : ", ").Append($"(?{at}, ?{at + 1}, ?{at + 2}, ?{at + 3})");
        }
        // The WHERE clause also tells SQLite's parser that ON CONFLICT is the upsert, not a join's ON.
        sql.Append("""
             ) AS v
            WHERE v.column4 IS NOT NULL OR NOT EXISTS (SELECT 1 FROM readings r WHERE r.sensor = ?1 AND r.ts = v.column1 AND r.seq <= ?2)
            ON CONFLICT (sensor, device_id) WHERE device_id IS NOT NULL DO NOTHING
            RETURNING ts, value;
            """);
        Check(raw.sqlite3_prepare_v2(database, sql.ToString(), out var statement));
        Check(raw.sqlite3_bind_text(statement, 1, utf8z.FromSpan(sensor)));
        Check(raw.sqlite3_bind_int64(statement, 2, before));
        return statements[rows] = statement;
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
