using System.Threading.Channels;
using BlazorIot.Shared.Notifications;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Notifications;

/// <summary>
/// Takes every event (<see cref="INotificationSink"/>) and puts it in the outbox of each channel that wants it:
/// <see cref="Raise"/> only queues it, as it runs under the hub's locks; a loop matches and stores. A channel
/// sends at most one message per <see cref="NotificationOptions.GroupWindow"/>: the events of a storm are grouped.
/// </summary>
public sealed partial class NotificationRouter(
    NotificationStore store,
    OutboxWakeUp wakeUp,
    DeliveryLogWatch watch,
    TimeProvider time,
    IOptions<NotificationOptions> options,
    ILogger<NotificationRouter> logger) : BackgroundService, INotificationSink
{
    /// <summary>Events waiting to be stored; more are dropped (and logged) rather than wait on the hub's thread.</summary>
    public const int QueueLength = 10_000;

    private readonly Channel<NotificationEvent> queue = Channel.CreateBounded<NotificationEvent>(
        new BoundedChannelOptions(QueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private long dropped;

    public void Raise(NotificationEvent notification)
    {
        if (!queue.Writer.TryWrite(notification))
        {
            // The first drop and then every thousandth: a flood of drops must not become a flood of log lines.
            if (Interlocked.Increment(ref dropped) % 1000 == 1)
            {
                LogDropped(notification.Change, notification.Sensor, QueueLength, Interlocked.Read(ref dropped));
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<NotificationEvent>();
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < 1000 && queue.Reader.TryRead(out var notification))
                {
                    batch.Add(notification);
                }
                await StoreUntilDoneAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Stores what is queued before the server stops (within the host's stop time): an event is raised only once.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        if (ExecuteTask is { } storing)
        {
            await storing.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await base.StopAsync(cancellationToken);
    }

    // An event is raised once and never again, so a store that fails for a while (a busy SQLite file, a PostgreSQL
    // failover) is waited out: the whole batch is tried again, which is safe, as a channel takes an event only once.
    private async Task StoreUntilDoneAsync(List<NotificationEvent> batch, CancellationToken cancellationToken)
    {
        var wait = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await StoreAsync(batch, cancellationToken);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogStoreFailed(batch.Count, wait.TotalSeconds, exception);
            }
            await Task.Delay(wait, time, cancellationToken);
            wait = wait < StoreRetryAtMost / 2 ? wait * 2 : StoreRetryAtMost;
        }
    }

    private static readonly TimeSpan StoreRetryAtMost = TimeSpan.FromSeconds(30);

    private async Task StoreAsync(List<NotificationEvent> batch, CancellationToken cancellationToken)
    {
        var channels = await store.ListChannelsAsync(cancellationToken);
        var changed = new HashSet<long>();
        try
        {
            foreach (var notification in batch)
            {
                foreach (var channel in channels.Where(channel => Wants(channel, notification)))
                {
                    if (await store.AddEventAsync(channel.Id, notification, time.GetUtcNow(), options.Value.GroupWindow, cancellationToken) is not null)
                    {
                        changed.Add(channel.Id);
                        wakeUp.Wake();
                    }
                }
            }
        }
        finally
        {
            foreach (var channelId in changed)
            {
                watch.Changed(channelId);
            }
        }
    }

    /// <summary>Whether <paramref name="channel"/> is told about <paramref name="notification"/>: its sensor and its kind are among the channel's.</summary>
    public static bool Wants(NotificationChannel channel, NotificationEvent notification)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(notification);
        return (channel.Sensors is null || channel.Sensors.Contains(notification.Sensor, StringComparer.Ordinal))
            && (channel.Events.Count == 0 || channel.Events.Contains(notification.Kind));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Change} notification for sensor {Sensor} was dropped: {QueueLength} are already waiting to be stored ({Dropped} dropped so far).")]
    private partial void LogDropped(NotificationChange change, string sensor, int queueLength, long dropped);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} notifications could not be put in the outbox: the store failed. Trying again in {Seconds} s.")]
    private partial void LogStoreFailed(int count, double seconds, Exception exception);
}
