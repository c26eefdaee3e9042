using BlazorIot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using MQTTnet;
using MQTTnet.Formatter;

namespace BlazorIot.Tests.Mqtt;

/// <summary>Device keys as the MQTT password: refused at CONNACK without a valid one, PUBACK 0x87 for a sensor out of the key's scope, the connection closed unacknowledged for a key revoked while connected.</summary>
public sealed class MqttKeyTests : IAsyncLifetime
{
    private readonly string path = LiveServer.NewDatabasePath();
    private LiveServer server = default!;
    private HttpClient http = default!;
    private string key = "";
    private string scoped = "";
    private string revocable = "";

    public static TheoryData<MqttProtocolVersion> Versions => new() { MqttProtocolVersion.V311, MqttProtocolVersion.V500 };

    public async Task InitializeAsync()
    {
        key = await AddKeyAsync("all-sensors");
        scoped = await AddKeyAsync("sensor-a-only", "--sensors", "a");
        revocable = await AddKeyAsync("revocable");
        server = LiveServer.Start(databasePath: path);
        http = server.CreateNetworkClient();
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public async Task Without_any_key_ingest_is_open_and_a_connection_without_a_password_is_stored()
    {
        await using var open = LiveServer.Start();
        using var openHttp = open.CreateNetworkClient();
        using var client = await MqttDevice.ConnectAsync(open.MqttPort, MqttProtocolVersion.V500);

        await MqttDevice.PublishStoredAsync(client, MqttDevice.Topic("open"), "3");

        Assert.Equal(3.0, Assert.Single(await MqttDevice.StoredAsync(openHttp, "open")).Value);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Once_a_key_exists_no_password_or_a_wrong_one_is_refused_at_connect(MqttProtocolVersion version)
    {
        foreach (var password in new[] { null, "", key[..^3] + "xyz", "not-a-key" })
        {
            var (client, result) = await MqttDevice.TryConnectAsync(MqttDevice.Options(server.MqttPort, version, password));
            using (client)
            {
                Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, result.ResultCode);
                Assert.False(client.IsConnected);
            }
        }

        Assert.Empty(await MqttDevice.StoredAsync(http, "a"));
        Assert.Equal("[]", await http.GetStringAsync("/api/sensors"));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task The_right_key_is_stored_on_both_topics(MqttProtocolVersion version)
    {
        using var client = await MqttDevice.ConnectAsync(server.MqttPort, version, key);

        await MqttDevice.PublishStoredAsync(client, MqttDevice.Topic("b"), "1");
        await MqttDevice.PublishStoredAsync(client, MqttDevice.BatchTopic, """[{"sensor":"a","value":2},{"sensor":"b","value":3}]""");

        Assert.Equal([1.0, 3], (await MqttDevice.StoredAsync(http, "b")).Select(r => r.Value));
        Assert.Equal(2.0, Assert.Single(await MqttDevice.StoredAsync(http, "a")).Value);
    }

    [Fact]
    public async Task A_key_limited_to_sensor_a_writes_a_and_gets_0x87_for_b_alone_or_in_a_batch()
    {
        using var client = await MqttDevice.ConnectAsync(server.MqttPort, MqttProtocolVersion.V500, scoped);

        var b = await MqttDevice.PublishAsync(client, MqttDevice.Topic("b"), "1");
        var mixed = await MqttDevice.PublishAsync(client, MqttDevice.BatchTopic, """[{"sensor":"a","value":2},{"sensor":"b","value":3}]""");
        await MqttDevice.PublishStoredAsync(client, MqttDevice.Topic("a"), "4");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, b.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, mixed.ReasonCode);
        Assert.Empty(await MqttDevice.StoredAsync(http, "b"));
        Assert.Equal(4.0, Assert.Single(await MqttDevice.StoredAsync(http, "a")).Value);
        Assert.True(client.IsConnected, "a refused message leaves the connection open");
    }

    [Fact]
    public async Task At_3_1_1_a_sensor_out_of_scope_is_acknowledged_without_a_code_and_not_stored()
    {
        using var client = await MqttDevice.ConnectAsync(server.MqttPort, MqttProtocolVersion.V311, scoped);

        // MQTT 3.1.1 has no PUBACK reason code: the message is dropped, the connection kept.
        await MqttDevice.PublishAsync(client, MqttDevice.Topic("b"), "1");
        await MqttDevice.PublishStoredAsync(client, MqttDevice.Topic("a"), "2");

        Assert.Empty(await MqttDevice.StoredAsync(http, "b"));
        Assert.Equal(2.0, Assert.Single(await MqttDevice.StoredAsync(http, "a")).Value);
    }

    [Fact]
    public async Task A_key_revoked_while_connected_closes_the_connection_unacknowledged_within_the_refresh_and_cannot_connect_again()
    {
        using var client = await MqttDevice.ConnectAsync(server.MqttPort, MqttProtocolVersion.V500, revocable);
        await MqttDevice.PublishStoredAsync(client, MqttDevice.Topic("revoked"), """{"value":0,"id":0}""");

        var (code, _, error) = await KeysAsync("revoke", "revocable");
        Assert.True(code == 0, error);

        // The server re-reads keys every 5 s; until then the key still writes. Each try has its own id.
        // Then the message is not acknowledged at all (the device keeps it) and the connection is closed.
        var tries = 0L;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var acknowledged = true;
        while (acknowledged)
        {
            Assert.True(DateTime.UtcNow < deadline, "the revoked key is refused within the gate's refresh");
            tries++;
            try
            {
                var result = await MqttDevice.PublishAsync(client, MqttDevice.Topic("revoked"), $$"""{"value":{{tries}},"id":{{tries}}}""");
                Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
            }
            catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
            {
                acknowledged = false;
            }
        }

        await Eventually.TrueAsync(() => !client.IsConnected, "the connection is closed");
        var stored = await MqttDevice.StoredAsync(http, "revoked");
        Assert.DoesNotContain(tries, stored.Select(r => r.DeviceId!.Value));
        Assert.Equal(tries, stored.Length);
        var (again, connect) = await MqttDevice.TryConnectAsync(MqttDevice.Options(server.MqttPort, MqttProtocolVersion.V500, revocable));
        using (again)
        {
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, connect.ResultCode);
        }
    }

    private Task<string> AddKeyAsync(string name, params string[] more) => DeviceKeys.AddAsync(path, name, more);

    private Task<(int Code, string Output, string Error)> KeysAsync(params string[] args) => DeviceKeys.RunAsync(path, args);
}
