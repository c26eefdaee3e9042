using MQTTnet;

namespace BlazorIot.Server.Mqtt;

/// <summary>
/// Where the server's own MQTT messages (sensor state, Home Assistant discovery) go: into the
/// embedded broker, or to the broker this server is a client of.
/// </summary>
public interface IMqttOutlet
{
    /// <summary>True while a message can be sent.</summary>
    bool IsReady { get; }

    /// <summary>Raised each time the outlet becomes ready (started, reconnected), so retained messages can be sent again.</summary>
    event Action? BecameReady;

    Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken);
}
