using System.Net;
using BlazorIot.Server.Notifications;

namespace BlazorIot.Tests.Notifications;

public sealed class OutboundAddressRuleTests
{
    public static TheoryData<string, string> Refused() => new()
    {
        { "127.0.0.1", "loopback" },
        { "127.8.9.10", "loopback" },
        { "::1", "loopback" },
        { "::ffff:127.0.0.1", "loopback" },
        { "10.1.2.3", "private" },
        { "172.16.0.1", "private" },
        { "172.31.255.254", "private" },
        { "192.168.1.20", "private" },
        { "fd12:3456::1", "private" },
        { "fc00::1", "private" },
        { "169.254.169.254", "link-local" },
        { "fe80::1", "link-local" },
        { "100.64.0.1", "carrier-grade NAT" },
        { "100.127.255.254", "carrier-grade NAT" },
        { "0.0.0.0", "unspecified" },
        { "::", "unspecified" },
        { "224.0.0.251", "multicast" },
        { "ff02::1", "multicast" },
        { "64:ff9b::a00:1", "private" },
        { "2002:7f00:1::", "loopback" },
        { "::10.0.0.1", "private" },
        { "192.0.0.8", "IETF protocol" },
        { "198.18.0.1", "benchmarking" },
        { "240.0.0.1", "reserved" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Addresses_that_are_not_public_are_refused_saying_what_they_are(string address, string why) =>
        Assert.Contains(why, OutboundAddressRule.WhyRefused(IPAddress.Parse(address)), StringComparison.Ordinal);

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("64:ff9b::808:808")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.Null(OutboundAddressRule.WhyRefused(IPAddress.Parse(address)));
}
