using System.Net;
using System.Net.Sockets;

namespace BlazorIot.Server.Notifications;

/// <summary>
/// Which addresses a notification may not connect to when <see cref="NotificationOptions.RefusePrivateAddresses"/>
/// is on: anything that is not an ordinary public unicast address, so a channel cannot be pointed at this
/// machine or the network behind it.
/// </summary>
public static class OutboundAddressRule
{
    private static readonly (IPNetwork Network, string Why)[] Refused =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address (RFC 1918)"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address (RFC 1918)"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address (RFC 1918)"),
        (IPNetwork.Parse("100.64.0.0/10"), "a shared carrier-grade NAT address (RFC 6598)"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address"),
        (IPNetwork.Parse("192.0.0.0/24"), "an IETF protocol assignment address"),
        (IPNetwork.Parse("198.18.0.0/15"), "a benchmarking address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved address"),
        (IPNetwork.Parse("255.255.255.255/32"), "the broadcast address"),
        (IPNetwork.Parse("::/128"), "an unspecified address"),
        (IPNetwork.Parse("::1/128"), "a loopback address"),
        (IPNetwork.Parse("fc00::/7"), "a private address (unique local, fc00::/7)"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
    ];

    /// <summary>Why <paramref name="address"/> is refused, or null when it is a public address.</summary>
    public static string? WhyRefused(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        // ::ffff:127.0.0.1 reaches 127.0.0.1, and so do its NAT64, 6to4 and IPv4-compatible forms: judge what it reaches.
        var reached = EmbeddedIPv4(address) ?? address;
        foreach (var (network, why) in Refused)
        {
            if (network.BaseAddress.AddressFamily == reached.AddressFamily && network.Contains(reached))
            {
                return why;
            }
        }
        return reached.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 ? null : "not an IP address";
    }

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork IPv4Compatible = IPNetwork.Parse("::/96");

    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address) || (IPv4Compatible.Contains(address) && !address.Equals(IPAddress.IPv6None) && !address.Equals(IPAddress.IPv6Loopback)))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }
        return SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4)) : null;
    }
}
