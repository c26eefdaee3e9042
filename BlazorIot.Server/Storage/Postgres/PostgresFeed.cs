using System.Threading.Channels;
using BlazorIot.Server.Live;
using BlazorIot.Shared.Readings;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorIot.Server.Storage.Postgres;

/// <summary>
/// Each instance's feed from the shared store to its own <see cref="SensorHub"/>: it reads
/// <c>WHERE seq &gt; last ORDER BY seq</c> and publishes only ids that follow on from the last one
/// it published, so every SSE stream and circuit on every instance sees the same readings in the
/// same order. It looks when woken — by this instance's writer after a commit, or by PostgreSQL's
/// <c>NOTIFY</c> from any instance's commit — and every <see cref="StorageOptions.FeedCatchUpInterval"/>
/// regardless: a lost LISTEN connection only adds latency, never a gap.
/// </summary>
public sealed partial class PostgresFeed(
    PostgresDatabase database, ReadingStore store, SensorHub hub, IOptions<StorageOptions> options,
    TimeProvider time, ILogger<PostgresFeed> logger) : BackgroundService
{
    /// <summary>The NOTIFY channel a commit announces its last id on.</summary>
    public const string Channel = "blazoriot_readings";

    private const int PageSize = 5_000;
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private readonly Channel<bool> wake = System.Threading.Channels.Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly TimeSpan catchUp = options.Value.FeedCatchUpInterval;

    private readonly Lock waitersGate = new();
    private readonly List<(long Id, TaskCompletionSource Published)> waiters = [];
    private long published;

    /// <summary>Looks for new rows now (a commit on this instance just finished).</summary>
    public void Wake() => wake.Writer.TryWrite(true);

    /// <summary>
    /// Completes once this instance has published id <paramref name="id"/>: the writer answers a
    /// device only then, so, as with SQLite, a reading acknowledged by an instance is already live
    /// on it (a stream opened right after the answer starts after it).
    /// </summary>
    public Task WhenPublishedAsync(long id)
    {
        lock (waitersGate)
        {
            if (published >= id)
            {
                return Task.CompletedTask;
            }
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((id, waiter));
            return waiter.Task;
        }
    }

    private void Published(long last)
    {
        lock (waitersGate)
        {
            published = last;
            for (var i = waiters.Count - 1; i >= 0; i--)
            {
                if (waiters[i].Id <= last)
                {
                    waiters[i].Published.TrySetResult();
                    waiters.RemoveAt(i);
                }
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), PumpAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenAsync(stoppingToken);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                // Anything committed while we were not listening.
                Wake();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or InvalidOperationException)
            {
                LogListenLost(exception, ReconnectDelay);
                await DelayAsync(ReconnectDelay, stoppingToken);
            }
        }
    }

    private async Task PumpAsync(CancellationToken stoppingToken)
    {
        var last = hub.LastSequence;
        Published(last);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (reached, full) = await CatchUpAsync(last, stoppingToken);
                last = reached;
                Published(last);
                if (full)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or InvalidOperationException)
            {
                LogReadFailed(exception, catchUp);
            }
            await WaitForWakeAsync(stoppingToken);
        }
    }

    /// <summary>
    /// Publishes the rows after <paramref name="last"/> that follow on from it; returns the new last id and whether there may be more.
    /// Imported rows hold ids like the others, so they count for following on, but they are history and are not published.
    /// </summary>
    private async Task<(long Last, bool Full)> CatchUpAsync(long last, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        var live = new List<Reading>();
        // Of an imported row only its id is read: an import of millions of rows passes through here.
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = new NpgsqlCommand($"""
            SELECT seq, CASE WHEN imported IS NULL THEN sensor END, value, ts, received, device_id, imported IS NOT NULL
            FROM readings WHERE seq > @last ORDER BY seq LIMIT {PageSize};
            """, connection))
        {
            command.Parameters.AddWithValue("last", last);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
                if (!reader.GetBoolean(6))
                {
                    live.Add(ReadingStore.ReadReading(reader));
                }
            }
        }
        if (ids.Count == 0)
        {
            return (last, false);
        }
        if (ids[0] != last + 1)
        {
            // Ids are given under a lock in commit order, so a hole is rows that retention removed
            // before this instance read them; anything else must wait to become visible.
            var horizon = await store.RetentionHorizonAsync(cancellationToken);
            if (ids[0] - 1 > horizon)
            {
                LogHole(last, ids[0]);
                return (last, false);
            }
        }
        var contiguous = 1;
        while (contiguous < ids.Count && ids[contiguous] == ids[contiguous - 1] + 1)
        {
            contiguous++;
        }
        var reached = ids[contiguous - 1];
        var following = live.Count;
        while (following > 0 && live[following - 1].Sequence > reached)
        {
            following--;
        }
        hub.Publish(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(live)[..following]);
        return (reached, contiguous == PageSize);
    }

    private async Task WaitForWakeAsync(CancellationToken stoppingToken)
    {
        using var interval = new CancellationTokenSource(catchUp, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, interval.Token);
        try
        {
            await wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The catch-up interval passed without a wake-up: look anyway.
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the LISTEN connection to PostgreSQL; readings from other instances arrive by periodic catch-up until it is back (retrying in {Delay}).")]
    private partial void LogListenLost(Exception exception, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read new readings from PostgreSQL; retrying within {Interval}.")]
    private partial void LogReadFailed(Exception exception, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The feed is at id {Last} but the next visible reading is {Next}: waiting for the ids between to become visible.")]
    private partial void LogHole(long last, long next);
}
