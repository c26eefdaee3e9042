using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BlazorIot.Bench.Load;

/// <summary>
/// One keep-alive connection sending readings back to back: takes the next index from the run,
/// waits for its slot when a rate is set, sends, and reads the whole response before the next.
/// </summary>
internal sealed class IngestWorker(LoadRun run, IPEndPoint endpoint, IngestMode mode, string sensor, int batch, string? key)
{
    private readonly byte[] buffer = new byte[16 * 1024];
    private Socket? socket;

    /// <param name="period">Stopwatch ticks between readings, 0 for as fast as possible.</param>
    public async Task RunAsync(long startedAt, double period, CancellationToken cancellationToken)
    {
        var count = mode == IngestMode.Batch ? batch : 1;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var index = run.Take(count);
                if (index < 0)
                {
                    return;
                }
                if (period > 0)
                {
                    var due = startedAt + (long)(index * period);
                    var wait = due - Stopwatch.GetTimestamp();
                    if (wait > 0)
                    {
                        await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency), cancellationToken);
                    }
                }
                var request = Request(index, count);
                run.MarkSent(index, count);
                var sent = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref run.Requests);
                var status = await SendAsync(request, cancellationToken);
                if (status is >= 200 and < 300)
                {
                    Interlocked.Increment(ref run.Answered2xx);
                    run.MarkAcknowledged(index, count, sent);
                }
                else
                {
                    Interlocked.Increment(ref run.Failures);
                    if (status != 0)
                    {
                        Interlocked.Increment(ref run.AnsweredOther);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            socket?.Dispose();
        }
    }

    private byte[] Request(long index, int count)
    {
        var authorization = key is null ? "" : $"Authorization: Bearer {key}\r\n";
        switch (mode)
        {
            case IngestMode.Legacy:
                return Encoding.ASCII.GetBytes($"GET /luminosity/{run.Base + index} HTTP/1.1\r\nHost: bench\r\n{authorization}\r\n");
            case IngestMode.Nchan:
                // The same shape and size as a snapshot of /connexion, with only the newest value set.
                var snapshot = $"{{\"labels\":[{string.Join(',', Enumerable.Repeat("\"12:00:00\"", 10))}],\"data\":[0,0,0,0,0,0,0,0,0,{run.Base + index}]}}";
                return Post("/pub", snapshot, authorization);
            default:
                var body = new StringBuilder(count * 48);
                if (mode == IngestMode.Batch)
                {
                    body.Append('[');
                }
                for (var i = 0; i < count; i++)
                {
                    body.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"sensor\":\"{sensor}\",\"value\":{run.Base + index + i}}}");
                }
                if (mode == IngestMode.Batch)
                {
                    body.Append(']');
                }
                return Post("/api/readings", body.ToString(), authorization);
        }
    }

    private static byte[] Post(string path, string body, string authorization) =>
        Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n{authorization}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}");

    /// <summary>Sends one request and reads its whole response; the status code, or 0 when the connection failed.</summary>
    private async Task<int> SendAsync(byte[] request, CancellationToken cancellationToken)
    {
        try
        {
            if (socket is null)
            {
                socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(endpoint, cancellationToken);
            }
            await socket.SendAsync(request, SocketFlags.None, cancellationToken);
            var (status, keepAlive) = await ReadResponseAsync(socket, cancellationToken);
            if (!keepAlive)
            {
                socket.Dispose();
                socket = null;
            }
            return status;
        }
        catch (Exception exception) when (exception is SocketException or IOException)
        {
            socket?.Dispose();
            socket = null;
            return 0;
        }
    }

    private async Task<(int Status, bool KeepAlive)> ReadResponseAsync(Socket connection, CancellationToken cancellationToken)
    {
        var length = 0;
        int headEnd;
        while ((headEnd = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
        {
            length += await ReceiveAsync(connection, length, cancellationToken);
        }
        var head = Encoding.ASCII.GetString(buffer, 0, headEnd);
        var status = int.Parse(head.AsSpan(9, 3), CultureInfo.InvariantCulture);
        var keepAlive = !head.Contains("Connection: close", StringComparison.OrdinalIgnoreCase) && !head.StartsWith("HTTP/1.0", StringComparison.Ordinal);
        var bodyStart = headEnd + 4;
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (buffer.AsSpan(bodyStart, length - bodyStart).IndexOf("0\r\n\r\n"u8) < 0)
            {
                if (length > buffer.Length - 1024)
                {
                    // Keep only the tail, where the terminating chunk may have started.
                    buffer.AsSpan(length - 16, 16).CopyTo(buffer);
                    length = 16;
                    bodyStart = 0;
                }
                length += await ReceiveAsync(connection, length, cancellationToken);
            }
            return (status, keepAlive);
        }
        long contentLength = 0;
        var at = head.IndexOf("Content-Length:", StringComparison.OrdinalIgnoreCase);
        if (at >= 0)
        {
            contentLength = long.Parse(head[(at + 15)..].Split('\r')[0].Trim(), CultureInfo.InvariantCulture);
        }
        else if (status != 204 && status != 304)
        {
            keepAlive = false;
        }
        // The body (a batch's ids can be large) is read and dropped, not kept.
        var remaining = contentLength - (length - bodyStart);
        while (remaining > 0)
        {
            remaining -= await ReceiveAsync(connection, 0, cancellationToken);
        }
        return (status, keepAlive);
    }

    private async Task<int> ReceiveAsync(Socket connection, int offset, CancellationToken cancellationToken)
    {
        if (offset == buffer.Length)
        {
            throw new IOException("Response larger than the buffer.");
        }
        var read = await connection.ReceiveAsync(buffer.AsMemory(offset), SocketFlags.None, cancellationToken);
        return read == 0 ? throw new IOException("Closed mid-response.") : read;
    }
}
