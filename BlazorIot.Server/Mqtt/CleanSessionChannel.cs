using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Packets;

namespace BlazorIot.Server.Mqtt;

/// <summary>
/// Makes every CONNECT to the embedded broker start a clean session, and gives a client that sent
/// an empty client id a generated one.
/// </summary>
/// <remarks>
/// The broker keeps no sessions (it only takes readings and relays the server's own state), and a
/// clean start is also what keeps each connection's own key and connection slot with it: MQTTnet
/// would otherwise hand a client that takes over a live session (same client id, clean session off)
/// the session items, and so the key, of the connection it replaces. MQTT 5 clients learn of the
/// clean start from the CONNACK's "session present" flag. MQTTnet assigns ids only to MQTT 5 clients;
/// the 3.1.1 specification lets a server assign one too (§3.1.3.1), and <c>mosquitto_pub</c> and
/// <c>mosquitto_sub</c> connect with an empty id by default.
/// </remarks>
public sealed class CleanSessionChannel(IMqttChannelAdapter inner) : IMqttChannelAdapter
{
    private bool connectSeen;

    public static string NewClientId() => $"auto-{Guid.NewGuid():N}";

    public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
    {
        var packet = await inner.ReceivePacketAsync(cancellationToken);
        if (!connectSeen && packet is MqttConnectPacket connect)
        {
            connectSeen = true;
            connect.CleanSession = true;
            if (string.IsNullOrEmpty(connect.ClientId) && inner.PacketFormatterAdapter.ProtocolVersion != MqttProtocolVersion.V500)
            {
                connect.ClientId = NewClientId();
            }
        }
        return packet;
    }

    public long BytesReceived => inner.BytesReceived;

    public long BytesSent => inner.BytesSent;

    public X509Certificate2 ClientCertificate => inner.ClientCertificate;

    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    public bool IsSecureConnection => inner.IsSecureConnection;

    public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

    public void ResetStatistics() => inner.ResetStatistics();

    public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken) => inner.SendPacketAsync(packet, cancellationToken);

    public void Dispose() => inner.Dispose();
}
