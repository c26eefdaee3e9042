using BlazorIot.Server.Mqtt;

namespace BlazorIot.Tests.Mqtt;

/// <summary>How <c>ConnectionStrings:Mqtt</c> is read in broker mode.</summary>
public sealed class BrokerModeAddressTests
{
    [Theory]
    [InlineData("mqtt://broker.lan", "broker.lan", 1883, null, null)]
    [InlineData("mqtt://broker.lan:8883", "broker.lan", 8883, null, null)]
    [InlineData("mqtt://ingest@10.0.0.5:1884", "10.0.0.5", 1884, "ingest", null)]
    [InlineData("mqtt://ingest:p%40ss%3Aw%2Frd@broker:1883", "broker", 1883, "ingest", "p@ss:w/rd")]
    [InlineData("mqtt://[::1]:1883", "::1", 1883, null, null)]
    public void A_broker_address_is_read_with_its_credentials_decoded(string text, string host, int port, string? user, string? password)
    {
        Assert.True(BrokerAddress.TryParse(text, out var address));
        Assert.Equal(new BrokerAddress(host, port, user, password), address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("broker:1883")]
    [InlineData("tcp://broker:1883")]
    [InlineData("mqtt://broker:0")]
    [InlineData("mqtt://broker:1883/topic")]
    [InlineData("mqtt://broker:1883?tls=true")]
    public void Anything_else_is_not_a_broker_address(string text)
    {
        Assert.False(BrokerAddress.TryParse(text, out _));
    }

    [Fact]
    public void The_address_as_logged_carries_no_password()
    {
        Assert.True(BrokerAddress.TryParse("mqtt://ingest:secret@broker:1883", out var address));
        Assert.Equal("mqtt://broker:1883", address!.ToString());
    }

    [Fact]
    public void The_default_client_id_is_the_machine_name_in_characters_every_broker_takes()
    {
        Assert.Equal("blazoriot-build-box-7.lan", BrokerLink.DefaultClientId("build box#7.lan"));
        Assert.Equal(64, BrokerLink.DefaultClientId(new string('x', 100)).Length);
    }
}
