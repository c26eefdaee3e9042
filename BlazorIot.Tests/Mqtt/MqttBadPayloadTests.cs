using BlazorIot.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;

namespace BlazorIot.Tests.Mqtt;

/// <summary>
/// Messages the broker must not store: each gets the MQTT 5 PUBACK reason code the design names
/// (0x99 payload invalid, 0x90 unknown topic, 0x83 retained), is counted under its reason, and
/// leaves the connection open and the store empty.
/// </summary>
public sealed class MqttBadPayloadTests : IAsyncLifetime
{
    private const int MaxBatch = 5;
    private const string Sensor = "blazoriot/sensors/bad/readings";
    private const string Batch = "blazoriot/readings";

    private LiveServer server = default!;
    private MqttRejections rejections = default!;

    public Task InitializeAsync()
    {
        server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Ingest:MaxBatch"] = MaxBatch.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        rejections = new MqttRejections(server);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        rejections.Dispose();
        await server.DisposeAsync();
    }

    public static TheoryData<string, string, string, bool, MqttClientPublishReasonCode, string> Cases()
    {
        const MqttClientPublishReasonCode invalid = MqttClientPublishReasonCode.PayloadFormatInvalid;
        const MqttClientPublishReasonCode topic = MqttClientPublishReasonCode.TopicNameInvalid;
        var six = "[" + string.Join(",", Enumerable.Range(1, MaxBatch + 1).Select(i => $$"""{"sensor":"bad","value":{{i}}}""")) + "]";
        return new()
        {
            { "empty", Sensor, "", false, invalid, "invalid_payload" },
            { "text", Sensor, "warm", false, invalid, "invalid_payload" },
            { "number with a unit", Sensor, "21.5C", false, invalid, "invalid_payload" },
            { "comma decimal", Sensor, "21,5", false, invalid, "invalid_payload" },
            { "NaN", Sensor, "NaN", false, invalid, "invalid_payload" },
            { "Infinity", Sensor, "Infinity", false, invalid, "invalid_payload" },
            { "-Infinity", Sensor, "-Infinity", false, invalid, "invalid_payload" },
            { "overflow to infinity", Sensor, "1e400", false, invalid, "invalid_payload" },
            { "NaN as a JSON value", Sensor, """{"value":"NaN"}""", false, invalid, "invalid_payload" },
            { "JSON string", Sensor, "\"412\"", false, invalid, "invalid_payload" },
            { "JSON true", Sensor, "true", false, invalid, "invalid_payload" },
            { "JSON null", Sensor, "null", false, invalid, "invalid_payload" },
            { "nested object", Sensor, """{"value":{"value":1}}""", false, invalid, "invalid_payload" },
            { "value a string", Sensor, """{"value":"412"}""", false, invalid, "invalid_payload" },
            { "value missing", Sensor, """{"ts":1767225600}""", false, invalid, "invalid_payload" },
            { "truncated JSON", Sensor, """{"value":1""", false, invalid, "invalid_payload" },
            { "array on a sensor topic", Sensor, """[{"value":1}]""", false, invalid, "invalid_payload" },
            { "object on the batch topic", Batch, """{"sensor":"bad","value":1}""", false, invalid, "invalid_payload" },
            { "number on the batch topic", Batch, "1", false, invalid, "invalid_payload" },
            { "empty array", Batch, "[]", false, invalid, "invalid_payload" },
            { "batch over Ingest:MaxBatch", Batch, six, false, invalid, "invalid_payload" },
            { "batch item without sensor", Batch, """[{"value":1}]""", false, invalid, "invalid_payload" },
            { "batch item with a bad sensor id", Batch, """[{"sensor":"Bad Sensor","value":1}]""", false, invalid, "invalid_payload" },
            { "one bad item spoils the batch", Batch, """[{"sensor":"bad","value":1},{"sensor":"bad","value":"x"}]""", false, invalid, "invalid_payload" },
            { "ts not a time", Sensor, """{"value":1,"ts":"yesterday"}""", false, invalid, "invalid_payload" },
            { "ts without offset", Sensor, """{"value":1,"ts":"2026-01-02T03:04:05"}""", false, invalid, "invalid_payload" },
            { "ts before 2000", Sensor, """{"value":1,"ts":"1999-12-31T23:59:59Z"}""", false, invalid, "invalid_payload" },
            { "ts years ahead", Sensor, """{"value":1,"ts":4102444800}""", false, invalid, "invalid_payload" },
            { "ts a boolean", Sensor, """{"value":1,"timestamp":true}""", false, invalid, "invalid_payload" },
            { "id negative", Sensor, """{"value":1,"id":-1}""", false, invalid, "invalid_payload" },
            { "id fractional", Sensor, """{"value":1,"id":1.5}""", false, invalid, "invalid_payload" },
            { "id a string", Sensor, """{"value":1,"id":"7"}""", false, invalid, "invalid_payload" },
            { "sensor field naming another sensor", Sensor, """{"value":1,"sensor":"other"}""", false, invalid, "invalid_payload" },
            { "upper case sensor id in topic", "blazoriot/sensors/Kitchen/readings", "1", false, topic, "unknown_topic" },
            { "sensor id over 64 characters", $"blazoriot/sensors/{new string('a', 65)}/readings", "1", false, topic, "unknown_topic" },
            { "two levels for the sensor", "blazoriot/sensors/a/b/readings", "1", false, topic, "unknown_topic" },
            { "unknown topic", "home/kitchen/temperature", "1", false, topic, "unknown_topic" },
            { "state topic", "blazoriot/sensors/bad/state", "1", false, topic, "unknown_topic" },
            { "retained reading", Sensor, "1", true, MqttClientPublishReasonCode.ImplementationSpecificError, "retained" },
            { "retained batch", Batch, """[{"sensor":"bad","value":1}]""", true, MqttClientPublishReasonCode.ImplementationSpecificError, "retained" },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_message_that_is_not_a_reading_gets_its_reason_code_is_counted_and_nothing_is_stored(
        string name, string topic, string payload, bool retain, MqttClientPublishReasonCode expected, string reason)
    {
        using var http = server.CreateNetworkClient();
        using var client = await MqttDevice.ConnectAsync(server.MqttPort, MqttProtocolVersion.V500);

        var result = await MqttDevice.PublishAsync(client, topic, payload, retain);

        Assert.True(expected == result.ReasonCode, $"{name}: expected {expected}, got {result.ReasonCode} ({result.ReasonString})");
        Assert.Equal(1, rejections[reason]);
        Assert.Equal([reason], rejections.All.Keys);
        Assert.Equal("[]", await http.GetStringAsync("/api/sensors"));
        // The connection stays usable: the next good reading is stored.
        await MqttDevice.PublishStoredAsync(client, MqttDevice.Topic("good"), "1");
        Assert.Equal(1.0, Assert.Single(await MqttDevice.StoredAsync(http, "good")).Value);
        Assert.Empty(await MqttDevice.StoredAsync(http, "bad"));
    }
}
