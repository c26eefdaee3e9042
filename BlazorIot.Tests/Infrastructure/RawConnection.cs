using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>
/// A TCP connection to a live server that sends raw HTTP/1.x bytes and reads the answers as they
/// come off the wire: heads line by line, bodies by Content-Length, by chunks (decoded), or to the close.
/// </summary>
public sealed class RawConnection : IDisposable
{
    private readonly Socket socket;
    private readonly NetworkStream stream;
    private readonly StreamReader reader;
    // Decoded chunk data not yet returned by ReadChunkedLineAsync.
    private readonly StringBuilder chunked = new();
    private bool chunkedEnded;

    private RawConnection(Socket socket)
    {
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: true);
        reader = new StreamReader(stream, Encoding.ASCII);
    }

    public static Task<RawConnection> OpenAsync(LiveServer server, string request, int? receiveBuffer = null) =>
        OpenAsync(server.BaseAddress, request, receiveBuffer);

    /// <summary>To any server on the loopback: one in-process, or one of its own (<see cref="ServerProcess"/>).</summary>
    public static async Task<RawConnection> OpenAsync(Uri baseAddress, string request, int? receiveBuffer = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBuffer is int size)
        {
            socket.ReceiveBufferSize = size;
        }
        await socket.ConnectAsync(IPAddress.Loopback, baseAddress.Port);
        var connection = new RawConnection(socket);
        if (request.Length > 0)
        {
            await connection.SendAsync(request);
        }
        return connection;
    }

    /// <summary>Sends the text as one write (one packet when it fits), each char as one byte.</summary>
    public async Task SendAsync(string text)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
        await stream.FlushAsync();
    }

    /// <summary>The status line and header lines up to the blank line, each ended by CRLF; empty if the connection closed first.</summary>
    public async Task<string> ReadHeadAsync()
    {
        var head = new StringBuilder();
        while (await ReadLineAsync() is { Length: > 0 } line)
        {
            head.Append(line).Append("\r\n");
        }
        return head.ToString();
    }

    /// <summary>Reads one whole response (head, then its body) and returns its head.</summary>
    public async Task<string> ReadResponseAsync() => (await ReadMessageAsync()).Head;

    /// <summary>Reads one whole response: its head and its body, decoded if chunked. The head is empty if the connection closed first.</summary>
    public async Task<RawResponse> ReadMessageAsync()
    {
        var head = await ReadHeadAsync();
        return new RawResponse(head, head.Length == 0 ? "" : await ReadBodyAsync(head));
    }

    /// <summary>
    /// Reads the body of the response whose head was just read: Content-Length bytes, the chunks
    /// up to the last one (decoded, trailers skipped), or, with neither and <c>Connection: close</c>,
    /// everything up to the close.
    /// </summary>
    public async Task<string> ReadBodyAsync(string head)
    {
        if (Header(head, "Content-Length") is string length)
        {
            return await ReadExactlyAsync(int.Parse(length, CultureInfo.InvariantCulture));
        }
        if (string.Equals(Header(head, "Transfer-Encoding"), "chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = new StringBuilder();
            while (await ReadChunkAsync() is string chunk)
            {
                body.Append(chunk);
            }
            return body.ToString();
        }
        if (string.Equals(Header(head, "Connection"), "close", StringComparison.OrdinalIgnoreCase))
        {
            return await ReadToEndAsync();
        }
        return "";
    }

    /// <summary>
    /// The next line of a chunked body (an SSE stream), however the chunks cut it: chunk-size lines
    /// and chunk ends are taken off, a line ends at LF (a CR before it dropped). Null once the last
    /// chunk has come (or the connection closed without it: see <see cref="LastChunkRead"/>).
    /// </summary>
    public async Task<string?> ReadChunkedLineAsync()
    {
        while (true)
        {
            for (var i = 0; i < chunked.Length; i++)
            {
                if (chunked[i] == '\n')
                {
                    var line = chunked.ToString(0, i).TrimEnd('\r');
                    chunked.Remove(0, i + 1);
                    return line;
                }
            }
            if (chunkedEnded)
            {
                if (chunked.Length == 0)
                {
                    return null;
                }
                var rest = chunked.ToString();
                chunked.Clear();
                return rest;
            }
            if (await ReadChunkAsync() is string chunk)
            {
                chunked.Append(chunk);
            }
            else
            {
                chunkedEnded = true;
            }
        }
    }

    /// <summary>Whether the last chunked body read ended with its zero-size last chunk, not a bare close.</summary>
    public bool LastChunkRead { get; private set; }

    // One chunk's data; null after the last chunk (and its trailers) or at the close.
    private async Task<string?> ReadChunkAsync()
    {
        LastChunkRead = false;
        if (await ReadLineAsync() is not string sizeLine)
        {
            return null;
        }
        var size = int.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (size == 0)
        {
            while (await ReadLineAsync() is { Length: > 0 })
            {
                // A trailer field.
            }
            LastChunkRead = true;
            return null;
        }
        var data = await ReadExactlyAsync(size);
        var end = await ReadLineAsync();
        if (data.Length < size || end is not "")
        {
            throw new InvalidDataException($"A chunk of {size} bytes ended after {data.Length} with '{end}'.");
        }
        return data;
    }

    private async Task<string> ReadExactlyAsync(int count)
    {
        if (count == 0)
        {
            return "";
        }
        var buffer = new char[count];
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), timeout.Token);
        return new string(buffer, 0, read);
    }

    /// <summary>
    /// Reads and discards whatever has arrived (waiting for at least one byte), in bulk, so a
    /// reader keeps up with a flood; returns how many bytes, 0 at the close.
    /// </summary>
    public async Task<int> DiscardAvailableAsync()
    {
        discard ??= new char[64 * 1024];
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        return await reader.ReadAsync(discard.AsMemory(), timeout.Token);
    }

    private char[]? discard;

    /// <summary>The next raw line off the wire (CR, LF or CRLF ended), null at the close.</summary>
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

    /// <summary>The value of the first header of that name in a head read by <see cref="ReadHeadAsync"/>, or null.</summary>
    public static string? Header(string head, string name) =>
        head.Split("\r\n").Skip(1)
            .Where(line => line.Length > name.Length && line[name.Length] == ':' && line.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            .Select(line => line[(name.Length + 1)..].Trim())
            .FirstOrDefault();

    public void Dispose()
    {
        reader.Dispose();
        socket.Dispose();
    }
}

/// <summary>One response read off a <see cref="RawConnection"/>: its head (CRLF-ended lines) and its decoded body.</summary>
public sealed record RawResponse(string Head, string Body)
{
    /// <summary>The status code, or 0 when the connection closed before any response.</summary>
    public int Status => Head.Length >= 12 && Head.StartsWith("HTTP/1.", StringComparison.Ordinal)
        ? int.Parse(Head.AsSpan(9, 3), CultureInfo.InvariantCulture)
        : 0;

    public string? Header(string name) => RawConnection.Header(Head, name);

    /// <summary>Whether the server said it closes the connection after this response.</summary>
    public bool Closes => string.Equals(Header("Connection"), "close", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Head + Body;
}
