using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Packets;

namespace BlazorIot.Server.Mqtt;

/// <summary>
/// Gives an MQTT 3.1.1 client that connects with an empty client id and a clean session a
/// generated one, as the 3.1.1 specification lets a server do (§3.1.3.1); MQTTnet assigns ids only
/// to MQTT 5 clients. <c>mosquitto_pub</c> and <c>mosquitto_sub</c> connect so by default.
/// </summary>
public sealed class GeneratedClientIdChannel(IMqttChannelAdapter inner) : IMqttChannelAdapter
{
    private bool connectSeen;

    public static string NewClientId() => $"auto-{Guid.NewGuid():N}";

    public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
    {
        var packet = await inner.ReceivePacketAsync(cancellationToken);
        if (!connectSeen && packet is MqttConnectPacket connect)
        {
            connectSeen = true;
            if (string.IsNullOrEmpty(connect.ClientId) && connect.CleanSession && inner.PacketFormatterAdapter.ProtocolVersion != MqttProtocolVersion.V500)
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
