namespace BlazorIot.Server.Mqtt;

/// <summary>
/// How a device reaches this server over MQTT, as the "Connect a device" page tells it: the mode,
/// the embedded broker's real TCP port, the host of the broker this server reads from (never its
/// credentials), and whether a device key is needed as the password.
/// </summary>
/// <remarks>Port and key rule are read when asked: the port is known only once Kestrel listens, and the first key created closes open ingest.</remarks>
public sealed class MqttDeviceAccess(MqttMode mode, Func<int> embeddedPort, string? brokerConnectionString, Func<bool> keyRequired)
{
    /// <summary>MQTT's own port, used when a broker address names none.</summary>
    public const int DefaultPort = 1883;

    /// <summary>MQTT over TLS, for an mqtts:// address that names no port.</summary>
    public const int DefaultTlsPort = 8883;

    public MqttMode Mode => mode;

    /// <summary>The embedded broker's TCP port; 0 when it does not listen.</summary>
    public int EmbeddedPort => mode == MqttMode.Embedded ? embeddedPort() : 0;

    /// <summary>True when ingest needs a device key (as the MQTT password); false while ingest is open.</summary>
    public bool KeyRequired => keyRequired();

    /// <summary>Broker mode: the broker's host and port from <c>ConnectionStrings:Mqtt</c>; null when it is missing or not an address.</summary>
    public (string Host, int Port)? Broker => mode == MqttMode.Broker ? BrokerOf(brokerConnectionString) : null;

    // mqtt://user:pass@host:1883: only the host and port are kept, so the password cannot reach a page.
    private static (string Host, int Port)? BrokerOf(string? connectionString)
    {
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }
        var defaultPort = string.Equals(uri.Scheme, "mqtts", StringComparison.OrdinalIgnoreCase) ? DefaultTlsPort : DefaultPort;
        return (uri.Host, uri.Port > 0 ? uri.Port : defaultPort);
    }
}
