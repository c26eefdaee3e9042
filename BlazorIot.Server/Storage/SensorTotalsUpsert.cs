using Microsoft.Data.Sqlite;

namespace BlazorIot.Server.Storage;

/// <summary>
/// Adds a commit's readings to each sensor's row (created on its first reading): the count, and
/// the newest value by reading time. Prepared once for the writer's connection, as
/// <see cref="BulkReadingInsert"/>, so a commit binds values instead of parsing SQL.
/// </summary>
/// <remarks>Used only on the writer thread, inside its open transaction.</remarks>
internal sealed class SensorTotalsUpsert : IDisposable
{
    private readonly SqliteCommand upsert;
    private readonly SqliteParameter id;
    private readonly SqliteParameter created;
    private readonly SqliteParameter count;
    private readonly SqliteParameter value;
    private readonly SqliteParameter ts;

    public SensorTotalsUpsert(SqliteConnection connection)
    {
        upsert = connection.CreateCommand();
        upsert.CommandText = """
            INSERT INTO sensors (id, created, reading_count, last_value, last_ts) VALUES ($id, $created, $count, $value, $ts)
            ON CONFLICT (id) DO UPDATE SET
                reading_count = reading_count + excluded.reading_count,
                last_value = CASE WHEN last_ts IS NULL OR excluded.last_ts >= last_ts THEN excluded.last_value ELSE last_value END,
                last_ts = MAX(COALESCE(last_ts, excluded.last_ts), excluded.last_ts);
            """;
        id = upsert.Parameters.Add("$id", SqliteType.Text);
        created = upsert.Parameters.Add("$created", SqliteType.Integer);
        count = upsert.Parameters.Add("$count", SqliteType.Integer);
        value = upsert.Parameters.Add("$value", SqliteType.Real);
        ts = upsert.Parameters.Add("$ts", SqliteType.Integer);
    }

    /// <param name="firstReceived">When the first of these readings arrived (the sensor's creation time, if it is new), Unix ms.</param>
    /// <param name="newestTimestamp">The newest of these readings' times, Unix ms, with its value.</param>
    public void Add(SqliteTransaction transaction, string sensor, long readings, long firstReceived, double newestValue, long newestTimestamp)
    {
        upsert.Transaction = transaction;
        id.Value = sensor;
        created.Value = firstReceived;
        count.Value = readings;
        value.Value = newestValue;
        ts.Value = newestTimestamp;
        upsert.ExecuteNonQuery();
    }

    public void Dispose() => upsert.Dispose();
}
