using System.Collections.Concurrent;
using BlazorIot.Tests.Infrastructure;
using MQTTnet;

namespace BlazorIot.Tests.Mqtt;

/// <summary>An MQTT client of the test server's embedded broker that keeps every message it receives.</summary>
public sealed class MqttProbe : IAsyncDisposable
{
    private readonly IMqttClient client;
    private readonly ConcurrentQueue<ReceivedMessage> received = new();

    private MqttProbe(IMqttClient client)
    {
        this.client = client;
        client.ApplicationMessageReceivedAsync += args =>
        {
            var message = args.ApplicationMessage;
            received.Enqueue(new ReceivedMessage(message.Topic, message.ConvertPayloadToString(), message.Retain));
            return Task.CompletedTask;
        };
    }


    /// <summary>Connects and subscribes; returns once the broker has acknowledged every subscription.</summary>
    public static async Task<MqttProbe> ConnectAsync(int port, params string[] filters)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var probe = new MqttProbe(client);
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithClientId($"probe-{Guid.NewGuid():N}").Build();
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await client.ConnectAsync(options, timeout.Token);
        foreach (var filter in filters)
        {
            await client.SubscribeAsync(filter, MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, timeout.Token);
        }
        return probe;
    }

    public IReadOnlyList<ReceivedMessage> Received => [.. received];

    public bool IsConnected => client.IsConnected;

    /// <summary>The first message on <paramref name="topic"/> for which <paramref name="match"/> holds, once it has come.</summary>
    public async Task<ReceivedMessage> WaitForAsync(string topic, Func<ReceivedMessage, bool>? match = null)
    {
        ReceivedMessage? found = null;
        await Eventually.TrueAsync(
            () => (found = received.FirstOrDefault(message => message.Topic == topic && (match?.Invoke(message) ?? true))) is not null,
            $"a message arrives on {topic}");
        return found!;
    }

    public async ValueTask DisposeAsync()
    {
        if (client.IsConnected)
        {
            await client.DisconnectAsync();
        }
        client.Dispose();
    }
}
