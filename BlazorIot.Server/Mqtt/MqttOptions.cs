using System.ComponentModel.DataAnnotations;

namespace BlazorIot.Server.Mqtt;

public sealed class MqttOptions
{
    public const string Section = "Mqtt";

    public MqttMode Mode { get; set; } = MqttMode.Embedded;

    /// <summary>The embedded broker's TCP port (MQTT's own, 1883); 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>MQTT clients the embedded broker keeps at once; one more is refused with "server unavailable".</summary>
    [Range(1, 100_000)]
    public int MaxConnections { get; set; } = 1000;

    /// <summary>
    /// The largest PUBLISH payload taken. A larger one closes its connection unread into the store.
    /// Kestrel's transport holds at most 1 MiB per connection, so this stays below that.
    /// </summary>
    [Range(1024, 512 * 1024)]
    public int MaxPayloadBytes { get; set; } = 256 * 1024;

    /// <summary>Messages queued for one subscriber before the oldest is dropped (a slow subscriber never holds others back).</summary>
    [Range(1, 100_000)]
    public int MaxPendingPerClient { get; set; } = 1000;

    /// <summary>Publish each stored reading on <c>blazoriot/sensors/{sensor}/state</c>.</summary>
    public bool PublishState { get; set; }

    /// <summary>Also publish Home Assistant's retained discovery config for each sensor (implies <see cref="PublishState"/>).</summary>
    public bool HomeAssistantDiscovery { get; set; }

    /// <summary>Broker mode: this instance's client id; the persistent session on the broker is keyed by it.</summary>
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$")]
    public string? ClientId { get; set; }

    /// <summary>Broker mode: how long the broker keeps this instance's session (and queues its messages) while it is away.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "49710.00:00:00")]
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Broker mode: the longest wait between reconnect attempts (the backoff doubles from one second up to this).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);
}
