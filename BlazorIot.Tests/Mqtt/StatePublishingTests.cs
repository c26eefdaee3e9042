using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BlazorIot.Server.Mqtt;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;

namespace BlazorIot.Tests.Mqtt;

public sealed partial class StatePublishingTests
{
    private const string StateFilter = "blazoriot/sensors/+/state";
    private const string DiscoveryFilter = "homeassistant/#";

    private static Dictionary<string, string?> Settings(string option) => new() { [$"Mqtt:{option}"] = "true" };

    [Fact]
    public async Task A_stored_reading_is_published_on_its_state_topic_as_a_bare_number_without_discovery()
    {
        await using var server = LiveServer.Start(settings: Settings("PublishState"));
        await using var probe = await MqttProbe.ConnectAsync(server.MqttPort, StateFilter, DiscoveryFilter);
        using var client = server.CreateNetworkClient();

        (await client.PostAsJsonAsync("/api/readings", new { sensor = "temp", value = 21.5 })).EnsureSuccessStatusCode();

        var state = await probe.WaitForAsync("blazoriot/sensors/temp/state");
        Assert.Equal("21.5", state.Payload);
        // A config would have been sent before the state, on the same connection.
        Assert.DoesNotContain(probe.Received, message => message.Topic.StartsWith("homeassistant/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Discovery_config_is_retained_sent_before_the_first_state_and_holds_what_home_assistant_needs()
    {
        await using var server = LiveServer.Start(settings: Settings("HomeAssistantDiscovery"));
        using var client = server.CreateNetworkClient();
        (await client.PutAsJsonAsync("/api/sensors/greenhouse.temp", new { name = "Greenhouse", unit = "°C" })).EnsureSuccessStatusCode();
        await using var early = await MqttProbe.ConnectAsync(server.MqttPort, StateFilter, DiscoveryFilter);

        (await client.PostAsJsonAsync("/api/readings", new { sensor = "greenhouse.temp", value = 19.25 })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/readings", new { sensor = "hum", value = 55 })).EnsureSuccessStatusCode();
        await early.WaitForAsync("blazoriot/sensors/greenhouse.temp/state");
        await early.WaitForAsync("blazoriot/sensors/hum/state");

        var configTopic = HomeAssistantDiscovery.ConfigTopic("greenhouse.temp");
        var order = early.Received.Select(message => message.Topic).ToList();
        Assert.True(order.IndexOf(configTopic) >= 0 && order.IndexOf(configTopic) < order.IndexOf("blazoriot/sensors/greenhouse.temp/state"), string.Join(", ", order));

        // A subscriber that comes later (Home Assistant starting) gets the retained configs, last values and availability.
        await using var late = await MqttProbe.ConnectAsync(server.MqttPort, StateFilter, DiscoveryFilter, MqttTopics.Availability);
        var config = await late.WaitForAsync(configTopic);
        var humConfig = await late.WaitForAsync(HomeAssistantDiscovery.ConfigTopic("hum"));
        var lastValue = await late.WaitForAsync("blazoriot/sensors/greenhouse.temp/state");
        var availability = await late.WaitForAsync(MqttTopics.Availability);

        Assert.True(config.Retained);
        Assert.Matches(DiscoveryTopic(), config.Topic);
        Assert.Equal(("19.25", true), (lastValue.Payload, lastValue.Retained));
        Assert.Equal(("online", true), (availability.Payload, availability.Retained));

        using var json = JsonDocument.Parse(config.Payload);
        var root = json.RootElement;
        Assert.Equal("Greenhouse", String(root, "name"));
        Assert.Equal("°C", String(root, "unit_of_measurement"));
        Assert.Equal("blazoriot/sensors/greenhouse.temp/state", String(root, "state_topic"));
        Assert.Equal("measurement", String(root, "state_class"));
        Assert.Equal(MqttTopics.Availability, String(root, "availability_topic"));
        Assert.Equal("online", String(root, "payload_available"));
        Assert.Equal("offline", String(root, "payload_not_available"));
        var uniqueId = String(root, "unique_id");
        var device = root.GetProperty("device");
        Assert.Equal(JsonValueKind.Object, device.ValueKind);
        var identifiers = device.GetProperty("identifiers");
        Assert.Equal(JsonValueKind.Array, identifiers.ValueKind);
        Assert.NotEmpty(identifiers.EnumerateArray());
        Assert.All(identifiers.EnumerateArray(), identifier => Assert.Equal(JsonValueKind.String, identifier.ValueKind));
        Assert.Equal("BlazorIot", String(device, "name"));
        Assert.False(string.IsNullOrEmpty(String(device, "manufacturer")));
        Assert.False(string.IsNullOrEmpty(String(device, "model")));
        Assert.False(string.IsNullOrEmpty(String(device, "sw_version")));
        Assert.Equal("BlazorIot", String(root.GetProperty("origin"), "name"));

        // A sensor the dashboard has not described: named by its id, no unit, its own unique id, the same device.
        using var humJson = JsonDocument.Parse(humConfig.Payload);
        Assert.Equal("hum", String(humJson.RootElement, "name"));
        Assert.False(humJson.RootElement.TryGetProperty("unit_of_measurement", out _));
        Assert.NotEqual(uniqueId, String(humJson.RootElement, "unique_id"));
        Assert.Equal(identifiers.GetRawText(), humJson.RootElement.GetProperty("device").GetProperty("identifiers").GetRawText());
    }

    [Fact]
    public async Task Sensors_stored_before_a_start_are_announced_with_their_last_value_when_the_broker_is_ready()
    {
        var database = LiveServer.NewDatabasePath();
        try
        {
            await using (var first = LiveServer.Start(databasePath: database))
            {
                using var client = first.CreateNetworkClient();
                (await client.PostAsJsonAsync("/api/readings", new[] { new { sensor = "co2", value = 400 }, new { sensor = "co2", value = 412 } })).EnsureSuccessStatusCode();
            }
            await using var server = LiveServer.Start(settings: Settings("HomeAssistantDiscovery"), databasePath: database);
            await using var probe = await MqttProbe.ConnectAsync(server.MqttPort, StateFilter, DiscoveryFilter);

            Assert.Equal("412", (await probe.WaitForAsync("blazoriot/sensors/co2/state")).Payload);
            Assert.Equal("co2", JsonDocument.Parse((await probe.WaitForAsync(HomeAssistantDiscovery.ConfigTopic("co2"))).Payload).RootElement.GetProperty("name").GetString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(database)!, recursive: true);
        }
    }

    [Fact]
    public async Task Availability_is_online_once_ready_and_offline_on_a_graceful_stop()
    {
        var server = LiveServer.Start(settings: Settings("PublishState"));
        var stopped = false;
        try
        {
            await using var probe = await MqttProbe.ConnectAsync(server.MqttPort, MqttTopics.Availability);
            Assert.Equal("online", (await probe.WaitForAsync(MqttTopics.Availability)).Payload);

            // "offline" comes while the server stops, over the connection it still holds open; then the
            // broker itself closes that connection, so a connected device never holds up a restart.
            var stopping = server.DisposeAsync();
            stopped = true;
            await probe.WaitForAsync(MqttTopics.Availability, message => message.Payload == "offline");
            Assert.Equal(["online", "offline"], probe.Received.Select(message => message.Payload));
            // Held open, the connection would keep Kestrel from stopping until the shutdown timeout
            // cancelled the store's stop (which then throws here).
            await stopping;
            await Eventually.TrueAsync(() => !probe.IsConnected, "the broker closes the connection");
        }
        finally
        {
            if (!stopped)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task With_both_options_off_nothing_is_published()
    {
        await using var server = LiveServer.Start();
        Assert.Null(server.Services.GetService<MqttStatePublisher>());
        await using var probe = await MqttProbe.ConnectAsync(server.MqttPort, "#");
        using var client = server.CreateNetworkClient();
        (await client.PostAsJsonAsync("/api/readings", new { sensor = "temp", value = 21.5 })).EnsureSuccessStatusCode();

        // A message the test sends through the broker after the reading is stored: anything published would be ahead of it.
        var barrier = new MqttApplicationMessageBuilder().WithTopic("test/barrier").WithPayload("done").Build();
        await server.Services.GetRequiredService<IMqttOutlet>().PublishAsync(barrier, CancellationToken.None);
        await probe.WaitForAsync("test/barrier");

        Assert.Equal(["test/barrier"], probe.Received.Select(message => message.Topic));
    }

    [SkippableFact]
    public async Task Mosquitto_sub_receives_the_retained_state()
    {
        MosquittoTools.SkipUnlessInstalled();
        await using var server = LiveServer.Start(settings: Settings("PublishState"));
        await using var probe = await MqttProbe.ConnectAsync(server.MqttPort, StateFilter);
        using var client = server.CreateNetworkClient();
        (await client.PostAsJsonAsync("/api/readings", new { sensor = "luminosity", value = 412 })).EnsureSuccessStatusCode();
        await probe.WaitForAsync("blazoriot/sensors/luminosity/state");

        var (code, output) = await MosquittoTools.RunAsync(MosquittoTools.Subscribe,
            "-h", "127.0.0.1", "-p", server.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", StateFilter, "-v", "-C", "1", "-W", "10");

        Assert.True(code == 0, output);
        Assert.Equal("blazoriot/sensors/luminosity/state 412", output.Trim());
    }

    private static string? String(JsonElement element, string property)
    {
        var value = element.GetProperty(property);
        Assert.Equal(JsonValueKind.String, value.ValueKind);
        return value.GetString();
    }

    // Home Assistant's discovery topic for one component, without a node id: <prefix>/<component>/<object_id>/config.
    [GeneratedRegex("^homeassistant/sensor/[a-zA-Z0-9_-]+/config$")]
    private static partial Regex DiscoveryTopic();
}
