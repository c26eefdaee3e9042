using BlazorIot.Firmware.Simulator;

namespace BlazorIot.Tests.Firmware;

public sealed class SimulatorOptionsTests
{
    [Fact]
    public void Mqtt_takes_the_key_from_the_address_and_keeps_it_out_of_the_broker_address()
    {
        var options = SimulatorOptions.Parse(["--mqtt", "mqtt://lamp:bik_ab%2Fc@10.0.0.5:1884", "--key", "ignored"]);

        Assert.Equal(new Uri("mqtt://10.0.0.5:1884"), options.MqttBroker);
        Assert.Equal("", options.MqttBroker.UserInfo);
        Assert.Equal("lamp", options.MqttUser);
        Assert.Equal("bik_ab/c", options.MqttPassword);
    }

    [Fact]
    public void Mqtt_without_credentials_uses_the_key_option_as_the_password()
    {
        var options = SimulatorOptions.Parse(["--key", "bik_key", "--mqtt", "ws://localhost:8080/mqtt"]);

        Assert.Equal(new Uri("ws://localhost:8080/mqtt"), options.MqttBroker);
        Assert.Equal("", options.MqttUser);
        Assert.Equal("bik_key", options.MqttPassword);
    }

    [Fact]
    public void Without_mqtt_the_simulator_speaks_http()
    {
        Assert.Null(SimulatorOptions.Parse(["--server", "http://localhost:8080"]).MqttBroker);
    }

    [Theory]
    [InlineData("http://localhost:1883")]
    [InlineData("localhost:1883")]
    public void Mqtt_refuses_an_address_that_is_not_mqtt(string address)
    {
        Assert.Throws<ArgumentException>(() => SimulatorOptions.Parse(["--mqtt", address]));
    }

    [Fact]
    public void Mqtt_refuses_the_legacy_get()
    {
        Assert.Throws<ArgumentException>(() => SimulatorOptions.Parse(["--legacy", "--mqtt", "mqtt://localhost:1883"]));
    }
}
