using System.Threading.Channels;
using BlazorIot.Server.Live;

namespace BlazorIot.Server.Notifications;

/// <summary>
/// Keeps the channels' sensor lists on a renamed sensor's new id: a channel names sensors by id, and without this
/// a rename would quietly stop the notifications of the channels that chose that sensor. A deleted sensor stays
/// listed: a device still sending its id starts it anew, and its channels still want it.
/// </summary>
public sealed partial class ChannelRenameFollower(SensorHub hub, NotificationChannels channels, ILogger<ChannelRenameFollower> logger) : BackgroundService
{
    private readonly Channel<(string From, string To)> renames = Channel.CreateBounded<(string, string)>(
        new BoundedChannelOptions(1000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private IDisposable? subscription;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        subscription = hub.SubscribeChanges(OnChange);
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Applies the renames already taken before the server stops (within the host's stop time).</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        subscription?.Dispose();
        renames.Writer.TryComplete();
        if (ExecuteTask is { } following)
        {
            await following.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (from, to) in renames.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await channels.FollowRenameAsync(from, to, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFollowFailed(exception, from, to);
            }
        }
    }

    // On the hub's thread: only queues.
    private void OnChange(SensorChange change)
    {
        if (change is { Kind: SensorChangeKind.Renamed, RenamedTo: { } to })
        {
            renames.Writer.TryWrite((change.Sensor, to));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Channels listing sensor {From} could not be moved to its new id {To}: edit them on the Notifications page.")]
    private partial void LogFollowFailed(Exception exception, string from, string to);
}
