using System.Net;
using System.Net.Sockets;

namespace BlazorIot.Server.Notifications;

/// <summary>
/// The connect step of the notification client when private addresses are refused: it resolves the host
/// itself and connects only to an address it has checked, so a name that resolves to a public address when
/// checked and a private one when connecting (DNS rebinding) gets nowhere.
/// </summary>
public static class OutboundConnection
{
    public static async ValueTask<Stream> ConnectPubliclyAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new NetworkStream(await ConnectSocketPubliclyAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken), ownsSocket: true);
    }

    /// <summary>A socket connected to a checked public address of <paramref name="host"/> (the e-mail channels' way in).</summary>
    /// <exception cref="OutboundAddressRefusedException">When every address of the host is refused.</exception>
    public static async Task<Socket> ConnectSocketPubliclyAsync(string host, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var addresses = IPAddress.TryParse(host.TrimStart('[').TrimEnd(']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var refusals = new List<string>();
        Exception? lastFailure = null;
        foreach (var address in addresses)
        {
            if (OutboundAddressRule.WhyRefused(address) is { } why)
            {
                refusals.Add($"{address} is {why}");
                continue;
            }
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return socket;
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                lastFailure = exception;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        if (lastFailure is not null)
        {
            throw lastFailure;
        }
        throw new OutboundAddressRefusedException(
            $"Refused to connect to {host}: {string.Join("; ", refusals)}. Notifications:RefusePrivateAddresses is on, so only public addresses are reached.");
    }
}
