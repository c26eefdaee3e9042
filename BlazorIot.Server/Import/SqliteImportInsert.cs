using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BlazorIot.Server.Import;

/// <summary>
/// SQLite's insert of one imported row, prepared once per batch and bound through SQLite's own API
/// (as the group commit's bulk path is), since a large import runs it millions of times. It skips
/// a row whose device id the sensor already has, or, without a device id, a row at a time the
/// sensor already had a reading of before the import began.
/// </summary>
/// <remarks>Used inside the import's open transaction on its connection.</remarks>
internal sealed class SqliteImportInsert : IDisposable
{
    private const string Sql = """
        INSERT INTO readings (sensor, value, ts, received, device_id, imported)
        SELECT ?1, ?2, ?3, ?4, ?5, 1
        WHERE ?5 IS NOT NULL OR NOT EXISTS (SELECT 1 FROM readings WHERE sensor = ?1 AND ts = ?3 AND seq <= ?6)
        ON CONFLICT (sensor, device_id) WHERE device_id IS NOT NULL DO NOTHING;
        """;

    private readonly sqlite3 database;
    private readonly sqlite3_stmt statement;
    private readonly byte[] sensor;

    public SqliteImportInsert(SqliteConnection connection, string sensor, long before)
    {
        database = connection.Handle!;
        this.sensor = Encoding.UTF8.GetBytes(sensor + "\0");
        Check(raw.sqlite3_prepare_v2(database, Sql, out statement));
        Check(raw.sqlite3_bind_text(statement, 1, utf8z.FromSpan(this.sensor)));
        Check(raw.sqlite3_bind_int64(statement, 6, before));
    }

    /// <summary>Whether the row was stored (false: the sensor already had it).</summary>
    public bool Insert(long timestamp, double value, long received, long? deviceId)
    {
        Check(raw.sqlite3_bind_double(statement, 2, value));
        Check(raw.sqlite3_bind_int64(statement, 3, timestamp));
        Check(raw.sqlite3_bind_int64(statement, 4, received));
        Check(deviceId is { } id ? raw.sqlite3_bind_int64(statement, 5, id) : raw.sqlite3_bind_null(statement, 5));
        var step = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (step != raw.SQLITE_DONE)
        {
            throw Failure(step);
        }
        return raw.sqlite3_changes(database) == 1;
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw Failure(result);
        }
    }

    private SqliteException Failure(int result) => new(raw.sqlite3_errmsg(database).utf8_to_string(), result);

    public void Dispose() => statement.Dispose();
}
