using BlazorIot.Shared.Notifications;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Notifications;

/// <summary>
/// Sends the outbox: each channel's oldest pending message when it is due, one at a time per channel (so a
/// channel's messages arrive in order), up to <see cref="ChannelsAtOnce"/> channels at once (so a slow receiver
/// holds up only its own channel). Wakes when a message is added, else at the next due time. Everything it
/// needs is in the store, so a restart resumes every pending message, and a delivered one is never sent again.
/// </summary>
public sealed partial class NotificationDispatcher(
    NotificationStore store,
    ChannelSenders senders,
    OutboxWakeUp wakeUp,
    DeliveryLogWatch watch,
    TimeProvider time,
    IOptions<NotificationOptions> options,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    public const int ChannelsAtOnce = 4;

    /// <summary>The longest sleep: another instance's messages (PostgreSQL) are seen at least this often.</summary>
    private static readonly TimeSpan LongestSleep = TimeSpan.FromMinutes(1);

    /// <summary>After the store failed, how long before looking again.</summary>
    private static readonly TimeSpan StoreRetry = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A claimed message is tried again after the request timeout plus this, should its try never be recorded
    /// (the server stopped mid-try): long enough that it is never sent twice at once.
    /// </summary>
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sending = new Dictionary<long, Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var woken = wakeUp.Arm();
                foreach (var done in sending.Where(pair => pair.Value.IsCompleted).Select(pair => pair.Key).ToList())
                {
                    sending.Remove(done);
                }
                TimeSpan sleep;
                try
                {
                    if (sending.Count < ChannelsAtOnce)
                    {
                        foreach (var entry in await store.DueAsync(time.GetUtcNow(), ChannelsAtOnce * 2, stoppingToken))
                        {
                            if (sending.Count < ChannelsAtOnce && !sending.ContainsKey(entry.ChannelId))
                            {
                                sending[entry.ChannelId] = SendAsync(entry, stoppingToken);
                            }
                        }
                    }
                    // Due already (the clock moved since the look above): look again at once. A head another
                    // instance claimed is not due (its lease moved it), so this never spins. Channels being sent
                    // to are left out: their due head waits for the try under way (whose end wakes this loop),
                    // and must not keep the timer from other channels' retries.
                    var next = await store.NextDueAsync(sending.Keys.ToArray(), stoppingToken);
                    sleep = next is { } due ? due - time.GetUtcNow() : LongestSleep;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogStoreFailed(exception);
                    sleep = StoreRetry;
                }
                await SleepAsync(sleep, woken, sending.Values, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Tries under way stop with the server; their messages stay claimed and are tried again after the lease.
            await Task.WhenAll(sending.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task SleepAsync(TimeSpan sleep, Task woken, IEnumerable<Task> sending, CancellationToken stoppingToken)
    {
        using var stopSleeping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var waits = new List<Task>(sending) { woken };
        if (sleep > TimeSpan.Zero)
        {
            waits.Add(Task.Delay(sleep < LongestSleep ? sleep : LongestSleep, time, stopSleeping.Token));
        }
        else if (waits.Count == 1)
        {
            return;
        }
        await Task.WhenAny(waits);
        await stopSleeping.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
    }

    private async Task SendAsync(OutboxEntry entry, CancellationToken stoppingToken)
    {
        // Its own work item: a sender's synchronous start (DNS, TLS set-up) must not hold up the loop.
        await Task.Yield();
        var settings = options.Value;
        try
        {
            var now = time.GetUtcNow();
            if (await store.ClaimAsync(entry.MessageId, now, now + settings.Timeout + LeaseMargin, stoppingToken) is not { } message)
            {
                return;
            }
            if (await store.GetChannelAsync(message.ChannelId, stoppingToken) is not { } channel)
            {
                return;
            }
            var attempt = await senders.SendAsync(channel, message.Id, message.Events, test: false, stoppingToken);
            var after = time.GetUtcNow();
            if (attempt.Delivered)
            {
                await store.RecordAsync(message.Id, DeliveryStatus.Delivered, attempt.Status, null, null, settings.LogPerChannel, stoppingToken);
            }
            else
            {
                var next = after + RetryPlan.Wait(message.Attempts, settings.FirstRetry, settings.LongestRetry, attempt.RetryAfter, Random.Shared.NextDouble());
                var givingUp = attempt.Permanent || next > message.Created + settings.RetryFor;
                var error = givingUp && !attempt.Permanent
                    ? $"{attempt.Error} Given up: still failing after {message.Attempts} tries, and the next would be past {settings.RetryFor.TotalHours:0.#} h after the message was created."
                    : attempt.Error;
                await store.RecordAsync(
                    message.Id, givingUp ? DeliveryStatus.Failed : DeliveryStatus.Pending, attempt.Status, error, givingUp ? null : next, settings.LogPerChannel, stoppingToken);
                if (givingUp)
                {
                    LogGaveUp(message.Id, channel.Id, channel.Name, message.Attempts, error);
                }
                else
                {
                    LogWillRetry(message.Id, channel.Id, channel.Name, attempt.Error, next);
                }
            }
            watch.Changed(message.ChannelId);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            LogSendFailed(entry.MessageId, entry.ChannelId, exception);
            // The channel stays busy a while: a store that cannot record tries would otherwise be asked again at once, over and over.
            await Task.Delay(StoreRetry, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification message {MessageId} to channel {ChannelId} ({ChannelName}) failed ({Error}); trying again at {Next:o}.")]
    private partial void LogWillRetry(long messageId, long channelId, string channelName, string? error, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification message {MessageId} to channel {ChannelId} ({ChannelName}) failed after {Attempts} tries: {Error}")]
    private partial void LogGaveUp(long messageId, long channelId, string channelName, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The notification outbox could not be read; looking again shortly.")]
    private partial void LogStoreFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending notification message {MessageId} to channel {ChannelId} failed in the server; it is tried again after its lease.")]
    private partial void LogSendFailed(long messageId, long channelId, Exception exception);
}
