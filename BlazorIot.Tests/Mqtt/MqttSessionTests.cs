using System.Globalization;
using BlazorIot.Server.Mqtt;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace BlazorIot.Tests.Mqtt;

/// <summary>
/// What a connection carries and may hold: its own key even when it takes over another's client
/// id, a connection slot given back however it ends, a bounded set of subscriptions, state readable
/// only with a key for every sensor while the dashboard requires sign-in, and WebSocket packets as
/// large as TCP ones.
/// </summary>
public sealed class MqttSessionTests : IAsyncLifetime
{
    private readonly string path = LiveServer.NewDatabasePath();
    private string keyForA = "";
    private string keyForB = "";
    private string keyForAll = "";

    public async Task InitializeAsync()
    {
        keyForA = await DeviceKeys.AddAsync(path, "only-a", "--sensors", "a");
        keyForB = await DeviceKeys.AddAsync(path, "only-b", "--sensors", "b");
        keyForAll = await DeviceKeys.AddAsync(path, "home-assistant");
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Taking_over_a_connected_devices_client_id_does_not_take_its_key()
    {
        await using var server = LiveServer.Start(databasePath: path);
        using var http = server.CreateNetworkClient();
        using var device = await MqttDevice.ConnectAsync(Persistent(server.MqttPort, "esp32-luminosity", keyForA));
        await MqttDevice.PublishStoredAsync(device, MqttDevice.Topic("a"), "1");

        // Another key, the same client id, asking to resume the session: it gets a clean one of its own.
        using var intruder = await MqttDevice.ConnectAsync(Persistent(server.MqttPort, "esp32-luminosity", keyForB));
        var result = await MqttDevice.PublishAsync(intruder, MqttDevice.Topic("a"), "666");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        Assert.Equal([1.0], (await MqttDevice.StoredAsync(http, "a")).Select(reading => reading.Value));
    }

    [Fact]
    public async Task A_device_that_reconnects_over_its_own_session_gives_its_connection_slot_back()
    {
        await using var server = LiveServer.Start(databasePath: path, settings: new Dictionary<string, string?> { ["Mqtt:MaxConnections"] = "2" });
        var options = Persistent(server.MqttPort, "flaky-wifi", keyForAll);
        var clients = new List<IMqttClient>();
        try
        {
            // Each reconnect takes over the one before (a Wi-Fi drop the broker has not noticed yet).
            for (var reconnect = 0; reconnect < 4; reconnect++)
            {
                clients.Add(await MqttDevice.ConnectAsync(options));
            }
            var (other, connect) = await MqttDevice.TryConnectAsync(MqttDevice.Options(server.MqttPort, MqttProtocolVersion.V500, keyForAll));
            clients.Add(other);

            Assert.Equal(MqttClientConnectResultCode.Success, connect.ResultCode);
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    [Fact]
    public async Task While_the_dashboard_requires_sign_in_only_a_key_for_every_sensor_may_subscribe()
    {
        await using var server = LiveServer.Start(databasePath: path, settings: new Dictionary<string, string?> { ["Dashboard:Password"] = "viewer-secret-1" });

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await SubscribeAsync(server.MqttPort, keyForA, MqttTopics.AllStates));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await SubscribeAsync(server.MqttPort, keyForAll, MqttTopics.AllStates));
    }

    [Fact]
    public async Task A_client_holds_at_most_64_subscriptions()
    {
        await using var server = LiveServer.Start(databasePath: path);
        using var client = await MqttDevice.ConnectAsync(server.MqttPort, MqttProtocolVersion.V500, keyForAll);
        var codes = new List<MqttClientSubscribeResultCode>();
        for (var i = 0; i < 65; i++)
        {
            var result = await client.SubscribeAsync(string.Create(CultureInfo.InvariantCulture, $"blazoriot/sensors/s{i}/state"), MqttQualityOfServiceLevel.AtLeastOnce);
            codes.Add(Assert.Single(result.Items).ResultCode);
        }

        Assert.All(codes.Take(64), code => Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, code));
        Assert.Equal(MqttClientSubscribeResultCode.QuotaExceeded, codes[64]);
    }

    [Fact]
    public async Task A_packet_larger_than_64_KiB_over_websockets_is_taken_like_over_tcp()
    {
        await using var server = LiveServer.Start(databasePath: path);
        using var http = server.CreateNetworkClient();
        var options = new MqttClientOptionsBuilder()
            .WithWebSocketServer(socket => socket.WithUri(string.Create(CultureInfo.InvariantCulture, $"ws://127.0.0.1:{server.BaseAddress.Port}/mqtt")))
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCredentials(MqttDevice.DeviceUser, keyForAll)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        using var client = await MqttDevice.ConnectAsync(options);
        // 1,000 readings (the largest batch) padded past the WebSocket dispatcher's 64 KiB default.
        var batch = "[" + string.Join(',', Enumerable.Range(1, 1000).Select(i => string.Create(CultureInfo.InvariantCulture, $$"""{"sensor":"big","value":{{i}},"id":{{i}}}"""))) + "]";
        batch = batch.PadRight(100 * 1024);

        await MqttDevice.PublishStoredAsync(client, MqttDevice.BatchTopic, batch);

        Assert.Equal(1000, (await MqttDevice.StoredAsync(http, "big")).Length);
    }

    private static MqttClientOptions Persistent(int port, string clientId, string key) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600)
            .WithCredentials(MqttDevice.DeviceUser, key)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();

    private static async Task<MqttClientSubscribeResultCode> SubscribeAsync(int port, string key, string filter)
    {
        using var client = await MqttDevice.ConnectAsync(port, MqttProtocolVersion.V500, key);
        var result = await client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        return Assert.Single(result.Items).ResultCode;
    }
}
