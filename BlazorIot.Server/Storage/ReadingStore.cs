using System.Data.Common;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Storage;

/// <summary>
/// Where readings and sensors are kept: SQLite on one machine (the default), PostgreSQL for
/// several instances. Sequence ids are given by the store in commit order, so "everything after
/// id N" means the same on every instance. Writes go through the provider's
/// <see cref="IReadingWriter"/>; this is everything else.
/// </summary>
public abstract class ReadingStore
{
    /// <summary>Where the data lives, for logs: a file path or a database server and name (never a password).</summary>
    public abstract string Location { get; }

    /// <summary>Brings the schema up to date; refuses a schema newer than this server knows.</summary>
    public abstract Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>The highest sequence id ever given, including readings since removed (0 for a new store).</summary>
    public abstract Task<long> LastSequenceAsync(CancellationToken cancellationToken);

    /// <summary>One sensor's readings in [from, to), by timestamp.</summary>
    public abstract IAsyncEnumerable<Reading> QueryAsync(
        string sensor, DateTimeOffset from, DateTimeOffset to, int? limit, bool newestFirst, CancellationToken cancellationToken);

    /// <summary>
    /// Readings with <paramref name="after"/> &lt; seq ≤ <paramref name="upTo"/>, in sequence order, of the given sensors (all when null);
    /// never imported ones, which were never live.
    /// </summary>
    public abstract IAsyncEnumerable<Reading> ReplayAsync(
        long after, long upTo, IReadOnlySet<string>? sensors, CancellationToken cancellationToken);

    /// <summary>Min, max, average and count per bucket of <paramref name="bucket"/>, computed by the database.</summary>
    public abstract Task<IReadOnlyList<AggregateBucket>> AggregateAsync(
        string sensor, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<SensorInfo>> ListSensorsAsync(CancellationToken cancellationToken);

    public abstract Task<SensorInfo?> GetSensorAsync(string id, CancellationToken cancellationToken);

    /// <summary>Sets a sensor's display name and unit, creating the sensor when it has no reading yet.</summary>
    public abstract Task<SensorInfo> DescribeSensorAsync(string id, string? name, string? unit, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The highest sequence id that retention has removed (0 when none): a stream cannot resume from below it.</summary>
    public abstract Task<long> RetentionHorizonAsync(CancellationToken cancellationToken);

    /// <summary>Removes at most <paramref name="batch"/> readings of one sensor older than <paramref name="cutoff"/>, in one short transaction.</summary>
    public abstract Task<int> RemoveOlderThanAsync(string sensor, DateTimeOffset cutoff, int batch, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="perSensor"/> readings (by timestamp) of every sensor, in sequence order.</summary>
    public async Task<IReadOnlyList<Reading>> LoadRecentAsync(int perSensor, CancellationToken cancellationToken)
    {
        var readings = new List<Reading>();
        foreach (var sensor in await SensorIdsAsync(cancellationToken))
        {
            await foreach (var reading in QueryAsync(sensor, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, perSensor, newestFirst: true, cancellationToken))
            {
                readings.Add(reading);
            }
        }
        readings.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return readings;
    }

    public async Task<IReadOnlyList<string>> SensorIdsAsync(CancellationToken cancellationToken) =>
        [.. (await ListSensorsAsync(cancellationToken)).Select(s => s.Id)];

    /// <summary>The columns <see cref="ReadReading"/> reads, in its order.</summary>
    internal const string ReadingColumns = "seq, sensor, value, ts, received, device_id";

    /// <summary>The columns <see cref="ReadSensor"/> reads, in its order.</summary>
    protected const string SensorColumns = "id, name, unit, reading_count, last_value, last_ts, decimals, description";

    /// <summary>Reads a reading from the columns seq, sensor, value, ts, received, device_id.</summary>
    internal static Reading ReadReading(DbDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetDouble(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)))
        {
            Received = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            DeviceId = reader.IsDBNull(5) ? null : reader.GetInt64(5),
        };

    /// <summary>Reads a sensor from the columns id, name, unit, count, last value, last ts, decimals, description.</summary>
    protected static SensorInfo ReadSensor(DbDataReader reader) =>
        new(reader.GetString(0),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetInt64(3),
            reader.IsDBNull(4) ? null : reader.GetDouble(4),
            reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)))
        {
            Decimals = reader.IsDBNull(6) ? null : reader.GetInt32(6),
            Description = reader.IsDBNull(7) ? null : reader.GetString(7),
        };

    protected static async Task<IReadOnlyList<SensorInfo>> ReadSensorsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var sensors = new List<SensorInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            sensors.Add(ReadSensor(reader));
        }
        return sensors;
    }

    /// <summary>Reads buckets from the columns start, min, max, avg, count.</summary>
    protected static async Task<IReadOnlyList<AggregateBucket>> ReadBucketsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var buckets = new List<AggregateBucket>();
        while (await reader.ReadAsync(cancellationToken))
        {
            buckets.Add(new AggregateBucket(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
                reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetInt64(4)));
        }
        return buckets;
    }
}
