using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>A TCP connection to a live server that sends and reads raw HTTP/1.x, for the paths below Kestrel's HTTP layer.</summary>
public sealed class RawConnection : IDisposable
{
    private readonly Socket socket;
    private readonly NetworkStream stream;
    private readonly StreamReader reader;

    private RawConnection(Socket socket)
    {
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: true);
        reader = new StreamReader(stream, Encoding.ASCII);
    }

    public static async Task<RawConnection> OpenAsync(LiveServer server, string request, int? receiveBuffer = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBuffer is int size)
        {
            socket.ReceiveBufferSize = size;
        }
        await socket.ConnectAsync(IPAddress.Loopback, server.BaseAddress.Port);
        var connection = new RawConnection(socket);
        if (request.Length > 0)
        {
            await connection.SendAsync(request);
        }
        return connection;
    }

    public async Task SendAsync(string text)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
        await stream.FlushAsync();
    }

    public async Task<string> ReadHeadAsync()
    {
        var head = new StringBuilder();
        while (await ReadLineAsync() is { Length: > 0 } line)
        {
            head.Append(line).Append("\r\n");
        }
        return head.ToString();
    }

    /// <summary>Reads one whole response (head, then a Content-Length or chunked body) and returns its head.</summary>
    public async Task<string> ReadResponseAsync()
    {
        var head = await ReadHeadAsync();
        var length = head.Split("\r\n").FirstOrDefault(line => line.StartsWith("Content-Length: ", StringComparison.OrdinalIgnoreCase));
        if (length is not null)
        {
            await SkipAsync(int.Parse(length["Content-Length: ".Length..], System.Globalization.CultureInfo.InvariantCulture));
        }
        else if (head.Contains("\r\nTransfer-Encoding: chunked\r\n", StringComparison.OrdinalIgnoreCase))
        {
            while (int.Parse(await ReadLineAsync() ?? "0", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) is var size and > 0)
            {
                await SkipAsync(size);
                await ReadLineAsync();
            }
            await ReadLineAsync();
        }
        return head;
    }

    private async Task SkipAsync(int count)
    {
        if (count == 0)
        {
            return;
        }
        var buffer = new char[count];
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await reader.ReadBlockAsync(buffer.AsMemory(), timeout.Token);
    }

    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        return await reader.ReadLineAsync(timeout.Token);
    }

    public async Task<string> ReadToEndAsync()
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout * 3);
        return await reader.ReadToEndAsync(timeout.Token);
    }

    public void Dispose()
    {
        reader.Dispose();
        socket.Dispose();
    }
}
