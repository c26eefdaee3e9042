using System.Net.Http.Json;
using System.Text;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace BlazorIot.Tests.Mqtt;

/// <summary>What a device does over MQTT in these tests: connect (MQTTnet or mosquitto_pub), publish at QoS 1, and read back what was stored.</summary>
public static class MqttDevice
{
    public const string DeviceUser = "device";

    public static string Topic(string sensor) => $"blazoriot/sensors/{sensor}/readings";

    public const string BatchTopic = "blazoriot/readings";

    public static MqttClientOptions Options(int port, MqttProtocolVersion version, string? key = null)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(version)
            .WithClientId($"test-{Guid.NewGuid():N}")
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (key is not null)
        {
            builder.WithCredentials(DeviceUser, key);
        }
        return builder.Build();
    }

    /// <summary>Connects, whatever the server answers; the caller checks the CONNACK.</summary>
    public static async Task<(IMqttClient Client, MqttClientConnectResult Result)> TryConnectAsync(MqttClientOptions options)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var result = await client.ConnectAsync(options, timeout.Token);
        return (client, result);
    }

    /// <summary>Connects and fails the test unless the server accepts.</summary>
    public static async Task<IMqttClient> ConnectAsync(MqttClientOptions options)
    {
        var (client, result) = await TryConnectAsync(options);
        Assert.True(result.ResultCode == MqttClientConnectResultCode.Success, $"the broker accepts the connection, not {result.ResultCode} ({result.ReasonString})");
        return client;
    }

    public static Task<IMqttClient> ConnectAsync(int port, MqttProtocolVersion version, string? key = null) => ConnectAsync(Options(port, version, key));

    /// <summary>Publishes at QoS 1 and returns the PUBACK.</summary>
    public static async Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, string payload, bool retain = false)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await client.PublishAsync(message, timeout.Token);
    }

    /// <summary>Publishes and fails the test unless the broker acknowledges the message as stored.</summary>
    public static async Task PublishStoredAsync(IMqttClient client, string topic, string payload)
    {
        var result = await PublishAsync(client, topic, payload);
        Assert.True(result.ReasonCode == MqttClientPublishReasonCode.Success, $"the PUBACK says stored, not {result.ReasonCode} ({result.ReasonString})");
    }

    /// <summary>What the server has stored for a sensor, oldest first (none when it does not know the sensor).</summary>
    public static async Task<Reading[]> StoredAsync(HttpClient http, string sensor)
    {
        using var response = await http.GetAsync($"/api/sensors/{sensor}/readings?limit=100000");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Reading[]>())!;
    }

    /// <summary>Runs <c>mosquitto_pub</c> at QoS 1 with its default client id (empty) and returns its exit code and what it printed.</summary>
    public static Task<(int Code, string Output)> MosquittoPubAsync(int port, string topic, string payload, params string[] more) =>
        MosquittoTools.RunAsync(MosquittoTools.Publish, ["-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "1", "-t", topic, "-m", payload, .. more]);
}
