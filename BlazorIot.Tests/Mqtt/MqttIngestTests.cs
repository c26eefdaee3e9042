using System.Globalization;
using System.Text.Json;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;

namespace BlazorIot.Tests.Mqtt;

/// <summary>
/// Readings sent to the embedded broker, by MQTTnet at 3.1.1 and 5, by mosquitto_pub and over
/// WebSockets, are stored as HTTP ingest stores them and go out on the live stream.
/// </summary>
public sealed class MqttIngestTests(LiveServerFixture fixture) : IClassFixture<LiveServerFixture>
{
    private readonly LiveServer server = fixture.Server;

    public static TheoryData<MqttProtocolVersion> Versions => new() { MqttProtocolVersion.V311, MqttProtocolVersion.V500 };

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Each_payload_form_is_stored_with_its_sensor_value_and_timestamp_and_goes_out_on_the_stream(MqttProtocolVersion version)
    {
        var v = version == MqttProtocolVersion.V500 ? "v5" : "v311";
        using var http = server.CreateNetworkClient();
        await using var stream = await SseProbe.ConnectAsync(http, "/api/stream");
        using var client = await MqttDevice.ConnectAsync(server.MqttPort, version);
        var measured = DateTimeOffset.UtcNow.AddMinutes(-3);
        var epoch = measured.ToUnixTimeSeconds();

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await MqttDevice.PublishStoredAsync(client, MqttDevice.Topic($"bare-{v}"), "412.5");
        var after = DateTimeOffset.UtcNow.AddSeconds(1);
        await MqttDevice.PublishStoredAsync(client, MqttDevice.Topic($"object-{v}"), $$"""{"value":-3.25,"ts":{{epoch}},"id":17}""");
        await MqttDevice.PublishStoredAsync(client, MqttDevice.Topic($"iso-{v}"), """{"value":7,"timestamp":"2026-01-02T03:04:05Z","sensor":"iso-VERSION"}""".Replace("VERSION", v, StringComparison.Ordinal));
        await MqttDevice.PublishStoredAsync(client, MqttDevice.BatchTopic,
            $$"""[{"sensor":"batch-a-{{v}}","value":1,"ts":{{epoch}},"id":1},{"sensor":"batch-b-{{v}}","value":2},{"sensor":"batch-a-{{v}}","value":3,"id":2}]""");

        var bare = Assert.Single(await MqttDevice.StoredAsync(http, $"bare-{v}"));
        Assert.Equal(412.5, bare.Value);
        Assert.InRange(bare.Timestamp, before, after);
        Assert.Null(bare.DeviceId);
        var stored = Assert.Single(await MqttDevice.StoredAsync(http, $"object-{v}"));
        Assert.Equal((-3.25, DateTimeOffset.FromUnixTimeSeconds(epoch), 17L), (stored.Value, stored.Timestamp, stored.DeviceId!.Value));
        var iso = Assert.Single(await MqttDevice.StoredAsync(http, $"iso-{v}"));
        Assert.Equal((7.0, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)), (iso.Value, iso.Timestamp));
        var batchA = await MqttDevice.StoredAsync(http, $"batch-a-{v}");
        Assert.Equal([(1.0, 1L), (3.0, 2L)], batchA.Select(r => (r.Value, r.DeviceId!.Value)));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(epoch), batchA[0].Timestamp);
        Assert.Equal(2.0, Assert.Single(await MqttDevice.StoredAsync(http, $"batch-b-{v}")).Value);

        // Downstream is unchanged: each stored reading goes out on /api/stream as an HTTP one does.
        var streamed = await NextReadingsAsync(stream, 6);
        Assert.Equal(
            [($"bare-{v}", 412.5), ($"object-{v}", -3.25), ($"iso-{v}", 7), ($"batch-a-{v}", 1), ($"batch-b-{v}", 2), ($"batch-a-{v}", 3)],
            streamed.Select(r => (r.Sensor, r.Value)));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_reading_sent_twice_with_the_same_id_is_stored_once(MqttProtocolVersion version)
    {
        var sensor = $"twice-{(int)version}";
        using var http = server.CreateNetworkClient();
        using var client = await MqttDevice.ConnectAsync(server.MqttPort, version);

        await MqttDevice.PublishStoredAsync(client, MqttDevice.Topic(sensor), """{"value":5,"id":40}""");
        await MqttDevice.PublishStoredAsync(client, MqttDevice.Topic(sensor), """{"value":5,"id":40}""");
        await MqttDevice.PublishStoredAsync(client, MqttDevice.BatchTopic, $$"""[{"sensor":"{{sensor}}","value":5,"id":40},{"sensor":"{{sensor}}","value":6,"id":41}]""");

        var stored = await MqttDevice.StoredAsync(http, sensor);
        Assert.Equal([(5.0, 40L), (6.0, 41L)], stored.Select(r => (r.Value, r.DeviceId!.Value)));
    }

    [SkippableTheory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Mosquitto_pub_with_its_default_options_is_stored_and_streamed(string protocol)
    {
        MosquittoTools.SkipUnlessInstalled();
        var sensor = $"mosquitto-{protocol}";
        using var http = server.CreateNetworkClient();
        await using var stream = await SseProbe.ConnectAsync(http, "/api/stream");

        var bare = await MqttDevice.MosquittoPubAsync(server.MqttPort, MqttDevice.Topic(sensor), "21.5", "-V", protocol);
        var json = await MqttDevice.MosquittoPubAsync(server.MqttPort, MqttDevice.Topic(sensor), """{"value":22,"ts":"2026-03-04T05:06:07Z","id":9}""", "-V", protocol);
        var batch = await MqttDevice.MosquittoPubAsync(server.MqttPort, MqttDevice.BatchTopic, $$"""[{"sensor":"{{sensor}}","value":23,"id":10}]""", "-V", protocol);

        Assert.True(bare.Code == 0, bare.Output);
        Assert.True(json.Code == 0, json.Output);
        Assert.True(batch.Code == 0, batch.Output);
        // Readings come back in time order; the JSON one carries its own, earlier time.
        var stored = (await MqttDevice.StoredAsync(http, sensor)).OrderBy(r => r.Sequence).ToArray();
        Assert.Equal([(21.5, (long?)null), (22, 9), (23, 10)], stored.Select(r => (r.Value, r.DeviceId)));
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero), stored[1].Timestamp);
        Assert.Equal([21.5, 22, 23], (await NextReadingsAsync(stream, 3)).Select(r => r.Value));
    }

    [SkippableFact]
    public async Task Mosquitto_pub_without_a_protocol_option_speaks_3_1_1_with_an_empty_client_id_and_is_stored()
    {
        MosquittoTools.SkipUnlessInstalled();
        using var http = server.CreateNetworkClient();

        var (code, output) = await MqttDevice.MosquittoPubAsync(server.MqttPort, MqttDevice.Topic("mosquitto-default"), "1.25");

        Assert.True(code == 0, output);
        Assert.Equal(1.25, Assert.Single(await MqttDevice.StoredAsync(http, "mosquitto-default")).Value);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Mqtt_over_websockets_at_slash_mqtt_is_stored_and_streamed(MqttProtocolVersion version)
    {
        var sensor = $"websocket-{(int)version}";
        using var http = server.CreateNetworkClient();
        await using var stream = await SseProbe.ConnectAsync(http, "/api/stream");
        var options = new MqttClientOptionsBuilder()
            .WithWebSocketServer(socket => socket.WithUri(string.Create(CultureInfo.InvariantCulture, $"ws://127.0.0.1:{server.BaseAddress.Port}/mqtt")))
            .WithProtocolVersion(version)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        using var client = await MqttDevice.ConnectAsync(options);

        await MqttDevice.PublishStoredAsync(client, MqttDevice.Topic(sensor), """{"value":99,"id":1}""");

        Assert.Equal((99.0, 1L), Assert.Single(await MqttDevice.StoredAsync(http, sensor)) is var r ? (r.Value, r.DeviceId!.Value) : default);
        Assert.Equal((sensor, 99.0), Assert.Single(await NextReadingsAsync(stream, 1)) is var s ? (s.Sensor, s.Value) : default);
    }

    // Other tests of this class share the server and its stream: only this test's sensors count.
    private static async Task<List<Reading>> NextReadingsAsync(SseProbe stream, int count)
    {
        var readings = new List<Reading>();
        while (readings.Count < count)
        {
            var item = await stream.NextItemAsync();
            if (item.EventType == "reading")
            {
                readings.Add(JsonSerializer.Deserialize<Reading>(item.Data)!);
            }
        }
        return readings;
    }
}
