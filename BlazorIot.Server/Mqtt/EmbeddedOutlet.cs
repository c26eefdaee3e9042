using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Server;

namespace BlazorIot.Server.Mqtt;

/// <summary>
/// Sends the server's own messages into the embedded broker, as if a client named
/// <see cref="EmbeddedBroker.ServerClientId"/> had published them: subscribers get them and the
/// broker keeps retained ones for clients that subscribe later.
/// </summary>
/// <remarks>
/// The hosted MQTT server starts only once the application has started, so the outlet is ready from
/// the server's <c>StartedAsync</c> and no longer after its <c>StoppedAsync</c>.
/// </remarks>
public sealed class EmbeddedOutlet : IMqttOutlet, IDisposable
{
    private readonly MqttServer server;

    // Read by the broker's publish rules: messages carrying this marker skip the ingest path.
    private readonly ConcurrentDictionary<object, object> serverSessionItems = new() { [EmbeddedBroker.ServerMessage] = true };

    private int ready;

    public EmbeddedOutlet(MqttServer server)
    {
        this.server = server;
        server.StartedAsync += OnStartedAsync;
        server.StoppedAsync += OnStoppedAsync;
        // Created after the server started (not the usual order): it can take messages already.
        if (server.IsStarted)
        {
            MarkReady();
        }
    }

    public bool IsReady => Volatile.Read(ref ready) == 1;

    public event Action? BecameReady;

    public Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var injected = new InjectedMqttApplicationMessage(message)
        {
            SenderClientId = EmbeddedBroker.ServerClientId,
            CustomSessionItems = serverSessionItems,
        };
        return server.InjectApplicationMessage(injected, cancellationToken);
    }

    public void Dispose()
    {
        server.StartedAsync -= OnStartedAsync;
        server.StoppedAsync -= OnStoppedAsync;
    }

    private Task OnStartedAsync(EventArgs args)
    {
        MarkReady();
        return Task.CompletedTask;
    }

    private Task OnStoppedAsync(EventArgs args)
    {
        Volatile.Write(ref ready, 0);
        return Task.CompletedTask;
    }

    private void MarkReady()
    {
        if (Interlocked.Exchange(ref ready, 1) == 0)
        {
            BecameReady?.Invoke();
        }
    }
}
