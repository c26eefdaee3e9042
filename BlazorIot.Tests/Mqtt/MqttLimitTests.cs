using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using BlazorIot.Server.Mqtt;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace BlazorIot.Tests.Mqtt;

/// <summary>The broker's limits: connections, payload size, ingest subscriptions and the ingest rate.</summary>
public sealed class MqttLimitTests
{
    [Fact]
    public async Task Over_Mqtt_MaxConnections_a_client_is_refused_as_server_unavailable_until_one_disconnects()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Mqtt:MaxConnections"] = "2" });
        using var first = await MqttDevice.ConnectAsync(server.MqttPort, MqttProtocolVersion.V500);
        using var second = await MqttDevice.ConnectAsync(server.MqttPort, MqttProtocolVersion.V311);

        var (third, refused) = await MqttDevice.TryConnectAsync(MqttDevice.Options(server.MqttPort, MqttProtocolVersion.V500));
        third.Dispose();
        var (third311, refused311) = await MqttDevice.TryConnectAsync(MqttDevice.Options(server.MqttPort, MqttProtocolVersion.V311));
        third311.Dispose();

        Assert.Equal(MqttClientConnectResultCode.ServerUnavailable, refused.ResultCode);
        Assert.Equal(MqttClientConnectResultCode.ServerUnavailable, refused311.ResultCode);
        Assert.True(first.IsConnected && second.IsConnected, "the refusal leaves the two clients connected");

        await first.DisconnectAsync();
        IMqttClient? later = null;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (later is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the slot the first client held is given back");
            var (attempt, result) = await MqttDevice.TryConnectAsync(MqttDevice.Options(server.MqttPort, MqttProtocolVersion.V500));
            if (result.ResultCode == MqttClientConnectResultCode.Success)
            {
                later = attempt;
            }
            else
            {
                Assert.Equal(MqttClientConnectResultCode.ServerUnavailable, result.ResultCode);
                attempt.Dispose();
            }
        }
        using (later)
        {
            await MqttDevice.PublishStoredAsync(later, MqttDevice.Topic("slot"), "1");
            Assert.Equal(2, server.Services.GetRequiredService<EmbeddedBroker>().Connections);
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_payload_over_Mqtt_MaxPayloadBytes_is_refused_and_stores_nothing(MqttProtocolVersion version)
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Mqtt:MaxPayloadBytes"] = "1024" });
        using var rejections = new MqttRejections(server);
        using var http = server.CreateNetworkClient();
        using var client = await MqttDevice.ConnectAsync(server.MqttPort, version);
        // A valid reading, but 1025 bytes once padded with JSON whitespace.
        var large = """{"value":1}""".PadRight(1025);
        var justFits = """{"value":2}""".PadRight(1024);

        await MqttDevice.PublishStoredAsync(client, MqttDevice.Topic("large"), justFits);
        var refused = await MqttDevice.PublishAsync(client, MqttDevice.Topic("large"), large);

        // Acknowledged (as refused, for MQTT 5) so the device does not send it again for ever.
        if (version == MqttProtocolVersion.V500)
        {
            Assert.Equal(MqttClientPublishReasonCode.QuotaExceeded, refused.ReasonCode);
        }
        Assert.True(client.IsConnected);
        Assert.Equal(2.0, Assert.Single(await MqttDevice.StoredAsync(http, "large")).Value);
        Assert.Equal(1, rejections["too_large"]);
    }

    [Fact]
    public async Task Ingest_subscriptions_are_refused_with_0x87_and_blazoriot_hash_is_granted_but_never_sees_a_reading()
    {
        await using var server = LiveServer.Start();
        using var rejections = new MqttRejections(server);
        using var subscriber = await MqttDevice.ConnectAsync(server.MqttPort, MqttProtocolVersion.V500);
        var received = new ConcurrentQueue<string>();
        subscriber.ApplicationMessageReceivedAsync += args =>
        {
            received.Enqueue(args.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };

        var refused = new[] { "blazoriot/sensors/+/readings", "blazoriot/readings", "blazoriot/sensors/kitchen/readings", "blazoriot/+/+/readings" };
        var refusals = new List<MqttClientSubscribeResultCode>();
        foreach (var filter in refused)
        {
            var result = await subscriber.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce);
            refusals.Add(Assert.Single(result.Items).ResultCode);
        }
        // MQTTnet's server has no shared subscriptions: a $share filter is refused before our rules see it.
        var shared = await subscriber.SubscribeAsync("$share/group/blazoriot/sensors/+/readings", MqttQualityOfServiceLevel.AtLeastOnce);
        var granted = await subscriber.SubscribeAsync("blazoriot/#", MqttQualityOfServiceLevel.AtLeastOnce);

        Assert.All(refusals, code => Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, code));
        Assert.Equal(refused.Length, rejections["subscription_refused"]);
        Assert.Equal(MqttClientSubscribeResultCode.SharedSubscriptionsNotSupported, Assert.Single(shared.Items).ResultCode);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(granted.Items).ResultCode);

        using var publisher = await MqttDevice.ConnectAsync(server.MqttPort, MqttProtocolVersion.V500);
        await MqttDevice.PublishStoredAsync(publisher, MqttDevice.Topic("kitchen"), "1");
        await MqttDevice.PublishStoredAsync(publisher, MqttDevice.BatchTopic, """[{"sensor":"kitchen","value":2}]""");
        // A message the server itself sends after those were acknowledged: once it has arrived, anything relayed before it would have too.
        var marker = new MqttApplicationMessageBuilder().WithTopic(MqttTopics.State("kitchen")).WithPayload("2").Build();
        await server.Services.GetRequiredService<MqttServer>().InjectApplicationMessage(
            new InjectedMqttApplicationMessage(marker) { SenderClientId = EmbeddedBroker.ServerClientId, CustomSessionItems = new Hashtable { [EmbeddedBroker.ServerMessage] = true } });

        await Eventually.TrueAsync(() => received.Contains(MqttTopics.State("kitchen")), "the server's own message reaches blazoriot/#");
        Assert.Equal([MqttTopics.State("kitchen")], received);
        using var http = server.CreateNetworkClient();
        Assert.Equal([1.0, 2], (await MqttDevice.StoredAsync(http, "kitchen")).Select(r => r.Value));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Over_the_ingest_rate_a_publisher_is_slowed_not_dropped_and_the_wait_is_counted(MqttProtocolVersion version)
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Ingest:RequestsPerSecond"] = "5", ["Ingest:Burst"] = "5" });
        using var rejections = new MqttRejections(server);
        using var http = server.CreateNetworkClient();
        using var client = await MqttDevice.ConnectAsync(server.MqttPort, version);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var id = 1; id <= 15; id++)
        {
            await MqttDevice.PublishStoredAsync(client, MqttDevice.Topic("rated"), string.Create(CultureInfo.InvariantCulture, $$"""{"value":{{id}},"id":{{id}}}"""));
        }
        var elapsed = clock.Elapsed;

        var stored = await MqttDevice.StoredAsync(http, "rated");
        Assert.Equal(Enumerable.Range(1, 15).Select(id => (long)id), stored.Select(r => r.DeviceId!.Value));
        Assert.True(rejections["throttled"] >= 1, "the waits are counted as throttled");
        // 5 at once, then 10 more at 5 a second: about 2 s at the least.
        Assert.True(elapsed >= TimeSpan.FromSeconds(1.5), $"the publisher was slowed to the rate, not let through ({elapsed})");
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_fast_QoS_0_publisher_is_stored_whole_and_in_the_order_it_published()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Ingest:RequestsPerSecond"] = "1000000", ["Ingest:Burst"] = "1000000" });
        using var http = server.CreateNetworkClient();
        using var client = await MqttDevice.ConnectAsync(server.MqttPort, MqttProtocolVersion.V500);

        // Many more messages than commit at once for one client: its later messages wait for earlier commits.
        const int count = 2000;
        for (var value = 1; value <= count; value++)
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(MqttDevice.Topic("burst"))
                .WithPayload(value.ToString(CultureInfo.InvariantCulture))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
                .Build();
            await client.PublishAsync(message);
        }

        Reading[] stored = [];
        await Eventually.TrueAsync(async () => (stored = await MqttDevice.StoredAsync(http, "burst")).Length == count, $"all {count} QoS 0 readings are stored");
        var bySequence = stored.OrderBy(reading => reading.Sequence).Select(reading => reading.Value);
        Assert.Equal(Enumerable.Range(1, count).Select(value => (double)value), bySequence);
        Assert.True(client.IsConnected);
    }
}
