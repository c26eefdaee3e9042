using MQTTnet.Server;

namespace BlazorIot.Server.Mqtt;

/// <summary>
/// Starts the embedded broker with the host, and closes its client connections as the host starts
/// to stop. Started here, not on "application started" as MQTTnet's own hosted server does, so a
/// device that connects as soon as the server is up is not turned away. Kestrel, which carries the
/// connections, waits for them to end before it stops, and an MQTT connection never ends by itself:
/// left open, every connected device would hold a restart for the whole shutdown timeout. The state
/// publisher's last messages ("offline") go out first.
/// </summary>
public sealed class EmbeddedBrokerLifetime(MqttServer server, IEnumerable<MqttStatePublisher> publishers, TimeProvider time) : IHostedLifecycleService
{
    // How long the last messages may take to leave the subscribers' queues before the connections close.
    private static readonly TimeSpan DrainAtMost = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DrainCheckEvery = TimeSpan.FromMilliseconds(20);

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // None unless Mqtt:PublishState or Mqtt:HomeAssistantDiscovery is on.
        foreach (var publisher in publishers)
        {
            await publisher.FinishAsync(cancellationToken);
            // Closing a connection drops what is still queued for it: "offline" must have gone out first.
            await DrainAsync(cancellationToken);
        }
        await server.StopAsync(new MqttServerStopOptions
        {
            DefaultClientDisconnectOptions = new MqttServerClientDisconnectOptions { ReasonCode = MQTTnet.Protocol.MqttDisconnectReasonCode.ServerShuttingDown },
        });
    }

    // Until every client's queue is empty, for DrainAtMost at the longest (or until the host's stop time is up).
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            while (server.IsStarted && time.GetElapsedTime(started) < DrainAtMost
                && (await server.GetSessionsAsync()).Any(session => session.PendingApplicationMessagesCount > 0))
            {
                await Task.Delay(DrainCheckEvery, time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => server.StartAsync();

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
