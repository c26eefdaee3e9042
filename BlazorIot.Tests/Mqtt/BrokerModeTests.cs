using System.Net;
using System.Net.Http.Json;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace BlazorIot.Tests.Mqtt;

/// <summary>Mqtt:Mode=broker against a real Mosquitto: the server as a persistent-session client, acknowledging after commit.</summary>
public sealed class BrokerModeTests
{
    // Generous: the machine is shared, and a wait ends as soon as its event happens.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task A_reading_published_to_the_broker_is_stored_and_served()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var server = new ServerProcess(ServerProcess.FreePort(), Settings(broker, LiveServer.NewDatabasePath()));
        await server.StartAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        await PublishWithMosquittoPubAsync(broker, "blazoriot/sensors/broker-one/readings", "21.5");
        await PublishWithMosquittoPubAsync(broker, "blazoriot/readings", """[{"sensor":"broker-two","value":7}]""");

        await StoredAsync(client, "broker-one", 1);
        var two = await StoredAsync(client, "broker-two", 1);
        Assert.Equal(7, two[0].Value);
        // A retained message is not a reading (every new subscriber would get it again); messages on a topic come in order.
        await PublishWithMosquittoPubAsync(broker, "blazoriot/sensors/broker-one/readings", "99", "-r");
        await PublishWithMosquittoPubAsync(broker, "blazoriot/sensors/broker-one/readings", "22.5");
        var one = await StoredAsync(client, "broker-one", 2);
        Assert.Equal([21.5, 22.5], one.Select(reading => reading.Value).Order());
        Assert.Contains("retained messages are not ingested", server.Output, StringComparison.Ordinal);
        Assert.Contains("MQTT broker link: connected to", server.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Readings_sent_while_the_server_was_killed_are_all_stored_after_restart_none_twice()
    {
        await using var broker = await MosquittoServer.StartAsync();
        var settings = Settings(broker, LiveServer.NewDatabasePath());
        await using (var server = new ServerProcess(ServerProcess.FreePort(), settings))
        {
            // The first start makes the session and its subscriptions on the broker.
            await server.StartAsync();
            using var client = new HttpClient { BaseAddress = server.BaseAddress };
            using var publisher = await PublisherAsync(broker);
            // Killed while messages are still arriving: some are committed but not yet acknowledged, and come again.
            var sending = PublishIdsAsync(publisher, 1, 1000);
            await StoredAsync(client, "broker-crash", 20);
            await server.KillAsync();
            await sending;
            await PublishIdsAsync(publisher, 1001, 200);
        }

        await using var restarted = new ServerProcess(ServerProcess.FreePort(), settings);
        await restarted.StartAsync();
        using var reader = new HttpClient { BaseAddress = restarted.BaseAddress };
        var stored = await StoredAsync(reader, "broker-crash", 1200);

        var ids = stored.Select(reading => reading.DeviceId!.Value).ToList();
        Assert.Equal(Enumerable.Range(1, 1200).Select(id => (long)id), ids.Order());
        Assert.All(stored, reading => Assert.Equal(reading.DeviceId, (long)reading.Value));
    }

    [SkippableFact]
    public async Task A_message_the_store_cannot_commit_is_not_acknowledged_and_is_stored_once_when_the_store_recovers()
    {
        await using var disk = await SmallDisk.MountAsync();
        Skip.IfNot(disk.Mounted, "Mounting a small tmpfs needs root (CAP_SYS_ADMIN); this machine refused it, so the full disk cannot be made.");
        await using var broker = await MosquittoServer.StartAsync();
        await using var server = new ServerProcess(ServerProcess.FreePort(), Settings(broker, Path.Combine(disk.Folder, "blazoriot.db")));
        await server.StartAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var publisher = await PublisherAsync(broker);
        await PublishIdsAsync(publisher, 1, 10);
        await StoredAsync(client, "broker-crash", 10);

        disk.Fill();
        await PublishIdsAsync(publisher, 11, 20);
        await Eventually.TrueAsync(
            () => server.Output.Contains("the store could not commit a message; reconnecting", StringComparison.Ordinal),
            "the link drops the connection with the message unacknowledged", Patience);
        disk.Free();

        var stored = await StoredAsync(client, "broker-crash", 30);
        Assert.Equal(Enumerable.Range(1, 30).Select(id => (long)id), stored.Select(reading => reading.DeviceId!.Value).Order());
        Assert.Contains("the sender sends it again", server.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_wrong_broker_password_keeps_the_server_unready_and_the_log_says_why()
    {
        await using var broker = await MosquittoServer.StartAsync();
        var settings = Settings(broker, LiveServer.NewDatabasePath());
        settings["ConnectionStrings:Mqtt"] = broker.ConnectionString("not-the-password");
        await using var server = new ServerProcess(ServerProcess.FreePort(), settings);
        await server.StartLiveAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        await Eventually.TrueAsync(() => server.Output.Contains("refused the connection", StringComparison.Ordinal), "the server logs that the broker refused it", Patience);

        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Matches("refused the connection: (BadUserNameOrPassword|NotAuthorized)", server.Output);
        Assert.DoesNotContain("not-the-password", server.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task When_the_broker_restarts_the_link_reconnects_and_ingest_resumes()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var server = new ServerProcess(ServerProcess.FreePort(), Settings(broker, LiveServer.NewDatabasePath()));
        await server.StartAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        await PublishWithMosquittoPubAsync(broker, "blazoriot/sensors/broker-restart/readings", "1");
        await StoredAsync(client, "broker-restart", 1);

        await broker.StopAsync();
        await ReadyBecomesAsync(client, HttpStatusCode.ServiceUnavailable);
        await broker.RestartAsync();
        await ReadyBecomesAsync(client, HttpStatusCode.OK);
        await PublishWithMosquittoPubAsync(broker, "blazoriot/sensors/broker-restart/readings", "2");

        var stored = await StoredAsync(client, "broker-restart", 2);
        Assert.Equal([1.0, 2.0], stored.Select(reading => reading.Value).Order());
        Assert.Contains("MQTT broker link: disconnected from", server.Output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Settings(MosquittoServer broker, string databasePath) => new()
    {
        ["Storage:SqlitePath"] = databasePath,
        ["Mqtt:Mode"] = "broker",
        ["ConnectionStrings:Mqtt"] = broker.ConnectionString(),
        // Each test has a session of its own on its own broker; the id only has to stay the same across restarts.
        ["Mqtt:ClientId"] = "blazoriot-test-" + broker.Port,
        ["Mqtt:MaxReconnectDelay"] = "00:00:02",
    };

    private static async Task ReadyBecomesAsync(HttpClient client, HttpStatusCode expected)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            using var response = await client.GetAsync("/health/ready", deadline.Token);
            if (response.StatusCode == expected)
            {
                return;
            }
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting for /health/ready to answer {expected}; it answers {response.StatusCode}.");
            }
            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>Waits until the sensor has at least <paramref name="count"/> readings and returns them.</summary>
    private static async Task<Reading[]> StoredAsync(HttpClient client, string sensor, int count)
    {
        Reading[] stored = [];
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            using var response = await client.GetAsync($"/api/sensors/{sensor}/readings?limit=100000", deadline.Token);
            if (response.IsSuccessStatusCode)
            {
                stored = (await response.Content.ReadFromJsonAsync<Reading[]>(deadline.Token))!;
                if (stored.Length >= count)
                {
                    return stored;
                }
            }
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting for {count} readings of '{sensor}'; {stored.Length} stored.");
            }
            await Task.Delay(50, CancellationToken.None);
        }
    }

    private static async Task PublishWithMosquittoPubAsync(MosquittoServer broker, string topic, string payload, params string[] options)
    {
        var (code, output) = await MosquittoTools.RunAsync(MosquittoTools.Publish,
            [.. options, "-h", "127.0.0.1", "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-u", MosquittoServer.User, "-P", MosquittoServer.Password, "-q", "1", "-t", topic, "-m", payload]);
        Assert.True(code == 0, $"mosquitto_pub failed: {output}");
    }

    private static async Task<IMqttClient> PublisherAsync(MosquittoServer broker)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCredentials(MosquittoServer.User, MosquittoServer.Password)
            .Build();
        var result = await client.ConnectAsync(options);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    /// <summary>Publishes <paramref name="count"/> JSON readings at QoS 1 with ids from <paramref name="first"/>, each acknowledged by the broker.</summary>
    private static async Task PublishIdsAsync(IMqttClient publisher, int first, int count)
    {
        for (var id = first; id < first + count; id++)
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic("blazoriot/sensors/broker-crash/readings")
                .WithPayload($$"""{"value":{{id}},"id":{{id}}}""")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            var result = await publisher.PublishAsync(message);
            Assert.True(result.IsSuccess, $"the broker did not take reading {id}: {result.ReasonCode}");
        }
    }
}
