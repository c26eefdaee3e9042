using BlazorIot.Server.Live;
using BlazorIot.Shared.Readings;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Storage;

/// <summary>
/// The store's only writer. Ingest requests wait in a bounded queue; one dedicated thread takes
/// every request waiting (up to <see cref="StorageOptions.MaxCommitReadings"/>), writes them in one
/// transaction, and only after the commit publishes the new readings to the hub and completes the
/// requests. Under load many requests share one fsync; when idle a request is committed at once.
/// </summary>
public sealed partial class GroupCommitWriter : IReadingWriter, IHostedService, IDisposable
{
    private readonly SqliteDatabase database;
    private readonly SensorHub hub;
    private readonly ILogger<GroupCommitWriter> logger;
    private readonly CommitQueue queue;
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SqliteConnection? connection;
    private BulkReadingInsert? bulk;
    private long commits;

    private readonly Operations.BlazorIotMetrics? metrics;

    public GroupCommitWriter(SqliteDatabase database, SensorHub hub, IOptions<StorageOptions> options, ILogger<GroupCommitWriter> logger, Operations.BlazorIotMetrics? metrics = null)
    {
        this.metrics = metrics;
        this.database = database;
        this.hub = hub;
        this.logger = logger;
        queue = new CommitQueue(options.Value);
    }

    public long Commits => Interlocked.Read(ref commits);

    /// <summary>Stores the readings durably, then publishes them; completes once both are done.</summary>
    public Task<IngestResult> WriteAsync(IReadOnlyList<NewReading> readings, CancellationToken cancellationToken, AnswerThread answerOn = AnswerThread.ThreadPool) =>
        queue.WriteAsync(readings, answerOn, cancellationToken);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        connection = await database.OpenAsync(cancellationToken);
        bulk = new BulkReadingInsert(connection);
        var thread = new Thread(Run) { IsBackground = true, Name = "BlazorIot group commit" };
        thread.Start();
    }

    /// <summary>Takes no new requests, commits those already queued, then returns.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        if (connection is not null)
        {
            await stopped.Task.WaitAsync(cancellationToken);
        }
    }

    private void Run()
    {
        var group = new List<PendingWrite>();
        try
        {
            // The thread is ours, so waiting synchronously blocks no pool thread.
            while (queue.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                queue.TakeGroup(group);
                Commit(group);
            }
        }
        finally
        {
            bulk?.Dispose();
            connection?.Dispose();
            stopped.TrySetResult();
        }
    }

    private void Commit(List<PendingWrite> group)
    {
        List<Reading> stored;
        IngestResult[] results;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            (stored, results) = Insert(group);
            Interlocked.Increment(ref commits);
            metrics?.Committed(System.Diagnostics.Stopwatch.GetElapsedTime(started));
            metrics?.Ingested(stored.Count);
        }
        catch (Exception exception)
        {
            LogCommitFailed(exception, group.Count);
            CommitQueue.Fail(group, exception);
            return;
        }
        // One publication per commit: a snapshot stream gets one snapshot for the whole group.
        hub.Publish(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(stored));
        for (var i = 0; i < group.Count; i++)
        {
            group[i].Completion.TrySetResult(results[i]);
        }
    }

    private (List<Reading> Stored, IngestResult[] Results) Insert(List<PendingWrite> group)
    {
        using var transaction = connection!.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO readings (sensor, value, ts, received, device_id) VALUES ($sensor, $value, $ts, $received, $device)
            ON CONFLICT (sensor, device_id) WHERE device_id IS NOT NULL DO NOTHING
            RETURNING seq;
            """;
        var sensor = insert.Parameters.Add("$sensor", SqliteType.Text);
        var value = insert.Parameters.Add("$value", SqliteType.Real);
        var ts = insert.Parameters.Add("$ts", SqliteType.Integer);
        var received = insert.Parameters.Add("$received", SqliteType.Integer);
        var device = insert.Parameters.Add("$device", SqliteType.Integer);
        insert.Prepare();

        var stored = new List<Reading>();
        var results = new IngestResult[group.Count];
        var touched = new Dictionary<string, SensorTally>(StringComparer.Ordinal);

        void Keep(Reading committed)
        {
            stored.Add(committed);
            ref var tally = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(touched, committed.Sensor, out _);
            tally = tally.Add(committed);
        }
        for (var g = 0; g < group.Count; g++)
        {
            var readings = AsSpan(group[g].Readings);
            var ids = new long[readings.Length];
            var duplicates = 0;
            var i = 0;
            while (i < readings.Length)
            {
                if (readings[i].DeviceId is null)
                {
                    // A run of readings with nothing to deduplicate: the bulk path.
                    var end = i + 1;
                    while (end < readings.Length && readings[end].DeviceId is null)
                    {
                        end++;
                    }
                    bulk!.Insert(readings[i..end], ids.AsSpan(i, end - i));
                    for (; i < end; i++)
                    {
                        Keep(Committed(ids[i], readings[i]));
                    }
                    continue;
                }
                var reading = readings[i];
                sensor.Value = reading.Sensor;
                value.Value = reading.Value;
                ts.Value = reading.Timestamp.ToUnixTimeMilliseconds();
                received.Value = reading.Received.ToUnixTimeMilliseconds();
                device.Value = reading.DeviceId!.Value;
                if (insert.ExecuteScalar() is long seq)
                {
                    ids[i] = seq;
                    Keep(Committed(seq, reading));
                }
                else
                {
                    ids[i] = ExistingSequence(transaction, reading.Sensor, reading.DeviceId!.Value);
                    duplicates++;
                }
                i++;
            }
            results[g] = new IngestResult(readings.Length - duplicates, duplicates, ids);
        }
        UpdateSensors(transaction, touched);
        transaction.Commit();
        return (stored, results);
    }

    // Timestamps are stored in whole milliseconds: the published reading says exactly what was stored.
    private static Reading Committed(long seq, NewReading reading) =>
        new(seq, reading.Sensor, reading.Value, DateTimeOffset.FromUnixTimeMilliseconds(reading.Timestamp.ToUnixTimeMilliseconds()))
        {
            Received = DateTimeOffset.FromUnixTimeMilliseconds(reading.Received.ToUnixTimeMilliseconds()),
            DeviceId = reading.DeviceId,
        };

    private static ReadOnlySpan<NewReading> AsSpan(IReadOnlyList<NewReading> readings) => readings switch
    {
        NewReading[] array => array,
        List<NewReading> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
        _ => readings.ToArray(),
    };

    private long ExistingSequence(SqliteTransaction transaction, string sensor, long deviceId)
    {
        using var find = connection!.CreateCommand();
        find.Transaction = transaction;
        find.CommandText = "SELECT seq FROM readings WHERE sensor = $sensor AND device_id = $device;";
        find.Parameters.AddWithValue("$sensor", sensor);
        find.Parameters.AddWithValue("$device", deviceId);
        return (long)find.ExecuteScalar()!;
    }

    private void UpdateSensors(SqliteTransaction transaction, Dictionary<string, SensorTally> touched)
    {
        using var upsert = connection!.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT INTO sensors (id, created, reading_count, last_value, last_ts) VALUES ($id, $created, $count, $value, $ts)
            ON CONFLICT (id) DO UPDATE SET
                reading_count = reading_count + excluded.reading_count,
                last_value = CASE WHEN last_ts IS NULL OR excluded.last_ts >= last_ts THEN excluded.last_value ELSE last_value END,
                last_ts = MAX(COALESCE(last_ts, excluded.last_ts), excluded.last_ts);
            """;
        var id = upsert.Parameters.Add("$id", SqliteType.Text);
        var created = upsert.Parameters.Add("$created", SqliteType.Integer);
        var count = upsert.Parameters.Add("$count", SqliteType.Integer);
        var value = upsert.Parameters.Add("$value", SqliteType.Real);
        var ts = upsert.Parameters.Add("$ts", SqliteType.Integer);
        foreach (var (sensor, tally) in touched)
        {
            id.Value = sensor;
            created.Value = tally.FirstReceived;
            count.Value = tally.Count;
            value.Value = tally.NewestValue;
            ts.Value = tally.NewestTimestamp;
            upsert.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        bulk?.Dispose();
        connection?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Requests} ingest requests failed; none of their readings was stored.")]
    private partial void LogCommitFailed(Exception exception, int requests);

    private readonly record struct SensorTally(long Count, long FirstReceived, double NewestValue, long NewestTimestamp)
    {
        public SensorTally Add(Reading reading)
        {
            var ts = reading.Timestamp.ToUnixTimeMilliseconds();
            var newest = Count == 0 || ts >= NewestTimestamp;
            return new SensorTally(
                Count + 1,
                Count == 0 ? reading.Received.ToUnixTimeMilliseconds() : FirstReceived,
                newest ? reading.Value : NewestValue,
                newest ? ts : NewestTimestamp);
        }
    }
}
