using BlazorIot.Server.Live;
using BlazorIot.Shared.Readings;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Storage;

/// <summary>
/// The store's only writer. Ingest requests wait in a bounded queue; one dedicated thread takes
/// every request waiting (up to <see cref="StorageOptions.MaxCommitReadings"/>), writes them in one
/// transaction, and only after the commit (and a check that the file it went to is still the one
/// at the store's path, <see cref="StoreFileWatch"/>) publishes the new readings to the hub and
/// completes the requests. Under load many requests share one fsync; when idle a request is
/// committed at once.
/// </summary>
public sealed class GroupCommitWriter : IReadingWriter, IHostedService, IDisposable
{
    private const string FileLost =
        "The server's database file was removed or replaced while the server was running, so nothing can be stored until the server is restarted. "
        + "Nothing of this request was stored; send it again once the server is back.";

    private const string WrittenToLostFile =
        "The server's database file was removed or replaced while the server was running: this request's readings went to a file that no longer exists "
        + "and would not be found after a restart, so they are not acknowledged. Send them again once the server is back.";

    private readonly SqliteDatabase database;
    private readonly SqliteWriteTurns turns;
    private readonly SensorHub hub;
    private readonly CommitQueue queue;
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SqliteConnection? connection;
    private BulkReadingInsert? bulk;
    private DeviceReadingInsert? deviceInsert;
    private SensorTotalsUpsert? totals;
    private long commits;

    private readonly Operations.BlazorIotMetrics? metrics;
    private readonly StoreFileWatch fileWatch;
    private readonly CommitFailureLog failureLog;

    public GroupCommitWriter(
        SqliteDatabase database, SqliteWriteTurns turns, SensorHub hub, StoreFileWatch fileWatch, IOptions<StorageOptions> options, ILogger<GroupCommitWriter> logger, TimeProvider time,
        Operations.BlazorIotMetrics? metrics = null)
    {
        this.metrics = metrics;
        this.database = database;
        this.turns = turns;
        this.hub = hub;
        this.fileWatch = fileWatch;
        queue = new CommitQueue(options.Value);
        failureLog = new CommitFailureLog(logger, time);
    }

    public long Commits => Interlocked.Read(ref commits);

    /// <summary>Stores the readings durably, then publishes them; completes once both are done.</summary>
    public Task<IngestResult> WriteAsync(IReadOnlyList<NewReading> readings, CancellationToken cancellationToken) =>
        queue.WriteAsync(readings, cancellationToken);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The file watch first: if it cannot open, no connection is left for StopAsync to wait on.
        await fileWatch.StartAsync(cancellationToken);
        connection = await database.OpenAsync(cancellationToken);
        bulk = new BulkReadingInsert(connection);
        deviceInsert = new DeviceReadingInsert(connection);
        totals = new SensorTotalsUpsert(connection);
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
            CloseConnection();
            stopped.TrySetResult();
        }
    }

    private void Commit(List<PendingWrite> group)
    {
        if (fileWatch.Lost)
        {
            CommitQueue.Refuse(group, new StoreUnavailableException(FileLost));
            return;
        }
        List<Reading> stored;
        IngestResult[] results;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // Imports, removals and renames take the write lock between commits, one batch at a time
        // (SqliteWriteTurns). The writer's own thread: waiting blocks no pool thread.
        turns.EnterCommit();
        try
        {
            (stored, results) = Insert(group);
        }
        catch (Exception exception)
        {
            failureLog.Failed(exception, group.Count);
            CommitQueue.Fail(group, exception);
            return;
        }
        finally
        {
            turns.ExitCommit();
        }
        // Checked after the commit, before any answer: readings committed into a removed or replaced
        // file would be gone after a restart, so they must not be acknowledged (nor shown live).
        if (!fileWatch.FileIsInPlace())
        {
            CommitQueue.Refuse(group, new StoreUnavailableException(WrittenToLostFile));
            return;
        }
        failureLog.Succeeded();
        Interlocked.Increment(ref commits);
        metrics?.Committed(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        metrics?.Ingested(stored.Count);
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
                var (seq, inserted) = deviceInsert!.Insert(transaction, readings[i]);
                ids[i] = seq;
                if (inserted)
                {
                    Keep(Committed(seq, readings[i]));
                }
                else
                {
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

    private void UpdateSensors(SqliteTransaction transaction, Dictionary<string, SensorTally> touched)
    {
        foreach (var (sensor, tally) in touched)
        {
            totals!.Add(transaction, sensor, tally.Count, tally.FirstReceived, tally.NewestValue, tally.NewestTimestamp);
        }
    }

    public void Dispose() => CloseConnection();

    private void CloseConnection()
    {
        bulk?.Dispose();
        deviceInsert?.Dispose();
        totals?.Dispose();
        connection?.Dispose();
        fileWatch.Dispose();
    }

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
