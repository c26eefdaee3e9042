using BlazorIot.Server.Dashboard.Pages;
using BlazorIot.Server.Mqtt;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Dashboard;

public sealed class ConnectTests : BunitContext
{
    public ConnectTests()
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
    }

    [Fact]
    public void Every_snippet_uses_the_address_the_browser_reached_the_server_by()
    {
        UseMqtt(MqttMode.Off);
        var navigation = Services.GetRequiredService<BunitNavigationManager>();

        var cut = Render<Connect>();

        var snippets = cut.FindAll("section:not(#mqtt) pre").Select(p => p.TextContent).ToArray();
        Assert.Equal("http://localhost/", navigation.BaseUri);
        Assert.Equal(6, snippets.Length);
        Assert.All(snippets, s => Assert.Contains("http://localhost", s));
        Assert.Contains(snippets, s => s.Contains("url = \"http://localhost/luminosity/%s\"", StringComparison.Ordinal));
        Assert.Contains(snippets, s => s.Contains("settings.ServerUrl = \"http://localhost\";", StringComparison.Ordinal));
        Assert.Equal(6, cut.FindAll("button").Count);
    }

    [Fact]
    public void The_mqtt_section_names_this_host_the_real_broker_port_the_websocket_url_and_the_topic()
    {
        UseMqtt(MqttMode.Embedded, port: 41883);
        Services.GetRequiredService<BunitNavigationManager>().NavigateTo("https://iot.example:8443/devices/connect");

        var cut = Render<Connect>();

        var snippets = MqttSnippets(cut);
        Assert.Equal(
            ["Broker", "Broker over WebSockets", "Topic", "mosquitto_pub", "main.py (MicroPython, umqtt.simple)"],
            cut.FindAll("#mqtt figcaption").Select(c => c.TextContent));
        Assert.Equal("mqtt://iot.example:41883", snippets[0]);
        Assert.Equal("wss://iot.example:8443/mqtt", snippets[1]);
        Assert.Equal("blazoriot/sensors/luminosity/readings", snippets[2]);
        Assert.Equal("mosquitto_pub -h iot.example -p 41883 -t blazoriot/sensors/luminosity/readings -m 412 -q 1", snippets[3]);
        Assert.Equal(5, cut.FindAll("#mqtt button").Count);
        cut.Find("[data-testid=mqtt-open]");
    }

    [Fact]
    public void The_micropython_program_connects_to_this_broker_and_publishes_a_reading_every_few_seconds_at_qos_1()
    {
        UseMqtt(MqttMode.Embedded, port: 1883);

        var program = MqttSnippets(Render<Connect>())[4];

        Assert.Contains("from umqtt.simple import MQTTClient", program, StringComparison.Ordinal);
        Assert.Contains("BROKER = \"localhost\"", program, StringComparison.Ordinal);
        Assert.Contains("PORT = 1883", program, StringComparison.Ordinal);
        Assert.Contains("TOPIC = b\"blazoriot/sensors/luminosity/readings\"", program, StringComparison.Ordinal);
        Assert.Contains("KEY = None", program, StringComparison.Ordinal);
        Assert.Contains("client.connect()", program, StringComparison.Ordinal);
        Assert.Contains("client.publish(TOPIC, str(light.read()), qos=1)", program, StringComparison.Ordinal);
        Assert.Contains("time.sleep(3)", program, StringComparison.Ordinal);
        // Python cares about indentation: the raw string kept the program's, not the page's.
        Assert.StartsWith("import time\n", program, StringComparison.Ordinal);
        Assert.Contains("\nwhile True:\n    try:\n        if client is None:\n", program, StringComparison.Ordinal);
    }

    [Fact]
    public void When_keys_are_required_the_snippets_give_the_key_as_the_password()
    {
        UseMqtt(MqttMode.Embedded, port: 1883, keyRequired: true);

        var cut = Render<Connect>();

        var snippets = MqttSnippets(cut);
        cut.Find("[data-testid=mqtt-key]");
        Assert.EndsWith("-m 412 -q 1 -u device -P YOUR_DEVICE_KEY", snippets[3], StringComparison.Ordinal);
        Assert.Contains("KEY = \"YOUR_DEVICE_KEY\"", snippets[4], StringComparison.Ordinal);
        Assert.Contains("user=\"device\" if KEY else None, password=KEY", snippets[4], StringComparison.Ordinal);
    }

    [Fact]
    public void When_mqtt_is_off_the_page_says_so_and_offers_no_mqtt_snippet()
    {
        UseMqtt(MqttMode.Off);

        var cut = Render<Connect>();

        Assert.Contains("MQTT is off", cut.Find("[data-testid=mqtt-off]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("#mqtt pre"));
    }

    [Fact]
    public void In_broker_mode_the_page_shows_the_brokers_host_and_never_its_credentials()
    {
        UseMqtt(MqttMode.Broker, broker: "mqtt://blazoriot:s3cret-pass@mosquitto.lan:1884", keyRequired: true);

        var cut = Render<Connect>();

        var snippets = MqttSnippets(cut);
        Assert.DoesNotContain("s3cret-pass", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("blazoriot:", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("mosquitto.lan:1884", cut.Find("[data-testid=mqtt-broker]").TextContent, StringComparison.Ordinal);
        Assert.Equal("mqtt://mosquitto.lan:1884", snippets[0]);
        Assert.DoesNotContain(cut.FindAll("#mqtt figcaption"), c => c.TextContent.Contains("WebSockets", StringComparison.Ordinal));
        // The broker's own logins apply there, not this server's device keys.
        Assert.Equal("mosquitto_pub -h mosquitto.lan -p 1884 -t blazoriot/sensors/luminosity/readings -m 412 -q 1", snippets[2]);
        Assert.Contains("BROKER = \"mosquitto.lan\"", snippets[3], StringComparison.Ordinal);
    }

    [Fact]
    public void In_broker_mode_without_a_broker_address_the_page_says_so()
    {
        UseMqtt(MqttMode.Broker, broker: null);

        var cut = Render<Connect>();

        cut.Find("[data-testid=mqtt-broker-unset]");
        Assert.Empty(cut.FindAll("#mqtt pre"));
    }

    private void UseMqtt(MqttMode mode, int port = 0, string? broker = null, bool keyRequired = false) =>
        Services.AddSingleton(new MqttDeviceAccess(mode, () => port, broker, () => keyRequired));

    private static string[] MqttSnippets(IRenderedComponent<Connect> cut) => [.. cut.FindAll("#mqtt pre").Select(p => p.TextContent)];
}
