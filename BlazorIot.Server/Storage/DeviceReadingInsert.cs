using Microsoft.Data.Sqlite;

namespace BlazorIot.Server.Storage;

/// <summary>
/// The group commit's path for readings that carry a device id: an insert that skips a reading
/// the store already holds for that (sensor, device id), and the lookup of the stored one's id
/// (unless that one is hidden by a deletion: then it is removed and the new reading stored).
/// Prepared once for the writer's connection, so a commit binds values instead of parsing SQL.
/// </summary>
/// <remarks>Used only on the writer thread, inside its open transaction.</remarks>
internal sealed class DeviceReadingInsert : IDisposable
{
    private readonly SqliteCommand insert;
    private readonly SqliteParameter sensor;
    private readonly SqliteParameter value;
    private readonly SqliteParameter ts;
    private readonly SqliteParameter received;
    private readonly SqliteParameter device;
    private readonly SqliteCommand find;
    private readonly SqliteParameter findSensor;
    private readonly SqliteParameter findDevice;
    private readonly SqliteCommand removeHidden;
    private readonly SqliteParameter hiddenSeq;

    public DeviceReadingInsert(SqliteConnection connection)
    {
        insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO readings (sensor, value, ts, received, device_id) VALUES ($sensor, $value, $ts, $received, $device)
            ON CONFLICT (sensor, device_id) WHERE device_id IS NOT NULL DO NOTHING
            RETURNING seq;
            """;
        sensor = insert.Parameters.Add("$sensor", SqliteType.Text);
        value = insert.Parameters.Add("$value", SqliteType.Real);
        ts = insert.Parameters.Add("$ts", SqliteType.Integer);
        received = insert.Parameters.Add("$received", SqliteType.Integer);
        device = insert.Parameters.Add("$device", SqliteType.Integer);

        find = connection.CreateCommand();
        find.CommandText = """
            SELECT seq, seq <= COALESCE((SELECT up_to FROM sensor_removals WHERE sensor = $sensor), 0)
            FROM readings WHERE sensor = $sensor AND device_id = $device;
            """;
        findSensor = find.Parameters.Add("$sensor", SqliteType.Text);
        findDevice = find.Parameters.Add("$device", SqliteType.Integer);

        removeHidden = connection.CreateCommand();
        removeHidden.CommandText = "DELETE FROM readings WHERE seq = $seq;";
        hiddenSeq = removeHidden.Parameters.Add("$seq", SqliteType.Integer);
    }

    /// <summary>The stored reading's sequence id, and whether this call stored it (false: a duplicate).</summary>
    public (long Seq, bool Inserted) Insert(SqliteTransaction transaction, NewReading reading)
    {
        var deviceId = reading.DeviceId ?? throw new ArgumentException("Only readings with a device id are deduplicated.", nameof(reading));
        insert.Transaction = transaction;
        sensor.Value = reading.Sensor;
        value.Value = reading.Value;
        ts.Value = reading.Timestamp.ToUnixTimeMilliseconds();
        received.Value = reading.Received.ToUnixTimeMilliseconds();
        device.Value = deviceId;
        if (insert.ExecuteScalar() is long seq)
        {
            return (seq, true);
        }
        find.Transaction = transaction;
        findSensor.Value = reading.Sensor;
        findDevice.Value = deviceId;
        long found;
        bool hidden;
        using (var row = find.ExecuteReader())
        {
            row.Read();
            (found, hidden) = (row.GetInt64(0), row.GetBoolean(1));
        }
        if (!hidden)
        {
            return (found, false);
        }
        // The holder is a reading of a deleted sensor, only hidden until its removal: it goes now,
        // and this reading is stored as the sensor's new one.
        removeHidden.Transaction = transaction;
        hiddenSeq.Value = found;
        removeHidden.ExecuteNonQuery();
        return ((long)insert.ExecuteScalar()!, true);
    }

    public void Dispose()
    {
        insert.Dispose();
        find.Dispose();
        removeHidden.Dispose();
    }
}
