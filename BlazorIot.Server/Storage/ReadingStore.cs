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

    /// <summary>Replaces a sensor's display name, unit, decimals and description, creating the sensor when it has no reading yet.</summary>
    public abstract Task<SensorInfo> DescribeSensorAsync(
        string id, string? name, string? unit, int? decimals, string? description, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a sensor's visible readings, its row (description, thresholds, counts, last value) and
    /// its alert log to <paramref name="to"/>, in one transaction. When <paramref name="to"/> exists
    /// only a merge goes ahead: the counts add up, the newer last value wins, <paramref name="to"/>
    /// keeps what it has set and takes the rest from <paramref name="from"/>, readings whose device
    /// id <paramref name="to"/> already has are dropped, and at most one alert stays open. Readings
    /// of <paramref name="to"/> still waiting for removal are removed first; those of
    /// <paramref name="from"/> stay with it.
    /// </summary>
    /// <param name="now">When an open alert of <paramref name="from"/> is closed because <paramref name="to"/> has one open.</param>
    public abstract Task<SensorRename> RenameSensorAsync(string from, string to, bool merge, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a sensor (its row and alert log) in one short transaction and hides every reading it
    /// has so far (seq at most the highest id given yet) until <see cref="RemoveDeletedReadingsAsync"/>
    /// has removed them; readings after that start the sensor anew. Streams cannot resume from below
    /// that id. False when there is no such sensor.
    /// </summary>
    public abstract Task<bool> DeleteSensorAsync(string id, CancellationToken cancellationToken);

    /// <summary>The deleted sensors whose hidden readings are still to be removed.</summary>
    public abstract Task<IReadOnlyList<string>> PendingRemovalsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Removes at most <paramref name="batch"/> hidden readings of a deleted sensor, in one short
    /// transaction; once none are left the sensor's pending removal is dropped. Returns how many it removed.
    /// </summary>
    public abstract Task<int> RemoveDeletedReadingsAsync(string sensor, int batch, CancellationToken cancellationToken);

    /// <summary>The highest sequence id that retention has removed (0 when none): a stream cannot resume from below it.</summary>
    public abstract Task<long> RetentionHorizonAsync(CancellationToken cancellationToken);

    /// <summary>Removes at most <paramref name="batch"/> readings of one sensor older than <paramref name="cutoff"/>, in one short transaction.</summary>
    public abstract Task<int> RemoveOlderThanAsync(string sensor, DateTimeOffset cutoff, int batch, CancellationToken cancellationToken);

    /// <summary>Every sensor that has its own silence limit.</summary>
    public abstract Task<Dictionary<string, TimeSpan>> LoadSilenceLimitsAsync(CancellationToken cancellationToken);

    /// <summary>A sensor's own silence limit; null when it has none (automatic) or is unknown.</summary>
    public abstract Task<TimeSpan?> GetSilenceLimitAsync(string id, CancellationToken cancellationToken);

    /// <summary>Sets (or, with null, removes) a sensor's own silence limit, creating the sensor when it has no reading yet.</summary>
    public abstract Task SetSilenceLimitAsync(string id, TimeSpan? silentAfter, DateTimeOffset now, CancellationToken cancellationToken);

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

    /// <summary>
    /// The highest hidden sequence id of a sensor as SQL (0 when none): its readings with seq at or
    /// below it belong to a deletion still being removed, and no read sees them. The sensor is the
    /// parameter named <paramref name="sensorParameter"/>.
    /// </summary>
    protected static string HiddenUpTo(string sensorParameter) =>
        $"COALESCE((SELECT up_to FROM sensor_removals WHERE sensor = {sensorParameter}), 0)";

    /// <summary>The columns <see cref="ReadReading"/> reads, in its order.</summary>
    internal const string ReadingColumns = "seq, sensor, value, ts, received, device_id";

    /// <summary>The columns <see cref="ReadSensor"/> reads, in its order.</summary>
    protected const string SensorColumns = "id, name, unit, reading_count, last_value, last_ts, decimals, description, renamed_from";

    /// <summary>Reads a reading from the columns seq, sensor, value, ts, received, device_id.</summary>
    internal static Reading ReadReading(DbDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetDouble(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)))
        {
            Received = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            DeviceId = reader.IsDBNull(5) ? null : reader.GetInt64(5),
        };

    /// <summary>Reads a sensor from the columns id, name, unit, count, last value, last ts, decimals, description, renamed from.</summary>
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
            RenamedFrom = reader.IsDBNull(8) ? null : reader.GetString(8),
        };

    /// <summary>Silence limits from rows of (id, silent_after_ms).</summary>
    protected static async Task<Dictionary<string, TimeSpan>> ReadSilenceLimitsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var limits = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            limits[reader.GetString(0)] = TimeSpan.FromMilliseconds(reader.GetInt64(1));
        }
        return limits;
    }

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
