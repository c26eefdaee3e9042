using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BlazorIot.Bench.Load;

/// <summary>
/// One EventSource-like client on a raw socket: sends the GET, reads the response head, undoes
/// chunked framing, splits SSE messages and matches each value in their <c>data:</c> lines to the
/// reading that carried it. A raw socket keeps the load generator small beside the server it
/// measures (thousands of these share the machine's two cores with it).
/// </summary>
internal sealed class SseSubscriber(LoadRun run)
{
    private const int NotChunked = -2;
    private readonly PagedBitSet seen = new(run.Capacity);
    private readonly List<long> values = new(16);
    private byte[] message = new byte[4096];
    private int messageLength;
    private int scanFrom;
    private long chunkRemaining = NotChunked;
    private int chunkTrailer;
    private readonly TaskCompletionSource head = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long startedAt;
    private bool inChunkSize;
    private long chunkSize;

    public long Delivered { get; private set; }

    public long Coalesced { get; private set; }

    public long Frames { get; private set; }

    public long ConnectTicks { get; private set; }

    /// <summary>The index of the newest reading seen as the newest of a message.</summary>
    public long NewestIndex { get; private set; } = -1;

    public bool Failed { get; private set; }

    public Socket? Socket { get; private set; }

    /// <summary>
    /// Connects and sends the request; the head is read by <see cref="ReadAsync"/>, since some
    /// servers (the original one) send it only with their first message.
    /// </summary>
    public async Task<bool> ConnectAsync(IPEndPoint endpoint, byte[] request, CancellationToken cancellationToken)
    {
        startedAt = Stopwatch.GetTimestamp();
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            await socket.SendAsync(request, SocketFlags.None, cancellationToken);
            Socket = socket;
            return true;
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            Failed = true;
            socket.Dispose();
            return false;
        }
    }

    /// <summary>True once the response head said 200.</summary>
    public bool Accepted => ConnectTicks > 0;

    /// <summary>Completes when the head arrived (or the connection failed).</summary>
    public Task HeadReceived => head.Task;

    /// <summary>Reads the head, then the stream, until the server closes or <paramref name="cancellationToken"/> fires.</summary>
    public async Task ReadAsync(CancellationToken cancellationToken)
    {
        var socket = Socket ?? throw new InvalidOperationException("Not connected.");
        var buffer = new byte[8192];
        var length = 0;
        try
        {
            while (!Accepted)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    throw new IOException("Closed before the response head.");
                }
                length += read;
                var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
                if (end < 0)
                {
                    continue;
                }
                var text = System.Text.Encoding.ASCII.GetString(buffer, 0, end);
                if (!text.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) && !text.StartsWith("HTTP/1.0 200", StringComparison.Ordinal))
                {
                    throw new IOException("Refused: " + text.Split('\r')[0]);
                }
                if (text.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                {
                    chunkRemaining = 0;
                    inChunkSize = true;
                }
                ConnectTicks = Math.Max(1, Stopwatch.GetTimestamp() - startedAt);
                head.TrySetResult();
                Consume(buffer.AsSpan(end + 4, length - end - 4), Stopwatch.GetTimestamp());
            }
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    Failed = !cancellationToken.IsCancellationRequested;
                    return;
                }
                Consume(buffer.AsSpan(0, read), Stopwatch.GetTimestamp());
            }
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            Failed |= !cancellationToken.IsCancellationRequested;
        }
        finally
        {
            head.TrySetResult();
            socket.Dispose();
        }
    }

    private void Consume(ReadOnlySpan<byte> bytes, long receivedAt)
    {
        if (chunkRemaining == NotChunked)
        {
            Append(bytes, receivedAt);
            return;
        }
        while (!bytes.IsEmpty)
        {
            if (chunkTrailer > 0)
            {
                var skip = Math.Min(chunkTrailer, bytes.Length);
                chunkTrailer -= skip;
                bytes = bytes[skip..];
            }
            else if (inChunkSize)
            {
                var newline = bytes.IndexOf((byte)'\n');
                var digits = newline < 0 ? bytes : bytes[..newline];
                foreach (var c in digits)
                {
                    var digit = HexValue(c);
                    if (digit >= 0)
                    {
                        chunkSize = chunkSize * 16 + digit;
                    }
                }
                if (newline < 0)
                {
                    return;
                }
                bytes = bytes[(newline + 1)..];
                inChunkSize = false;
                chunkRemaining = chunkSize;
                chunkSize = 0;
                if (chunkRemaining == 0)
                {
                    return;
                }
            }
            else
            {
                var take = (int)Math.Min(chunkRemaining, bytes.Length);
                Append(bytes[..take], receivedAt);
                chunkRemaining -= take;
                bytes = bytes[take..];
                if (chunkRemaining == 0)
                {
                    chunkTrailer = 2;
                    inChunkSize = true;
                }
            }
        }
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private void Append(ReadOnlySpan<byte> bytes, long receivedAt)
    {
        if (messageLength + bytes.Length > message.Length)
        {
            Array.Resize(ref message, Math.Max(message.Length * 2, messageLength + bytes.Length));
        }
        bytes.CopyTo(message.AsSpan(messageLength));
        messageLength += bytes.Length;
        var start = 0;
        while (true)
        {
            var end = message.AsSpan(scanFrom, messageLength - scanFrom).IndexOf("\n\n"u8);
            if (end < 0)
            {
                scanFrom = Math.Max(start, messageLength - 1);
                break;
            }
            end += scanFrom;
            OnMessage(message.AsSpan(start, end - start), receivedAt);
            start = end + 2;
            scanFrom = start;
        }
        if (start > 0)
        {
            message.AsSpan(start, messageLength - start).CopyTo(message);
            messageLength -= start;
            scanFrom = Math.Max(0, scanFrom - start);
        }
    }

    private void OnMessage(ReadOnlySpan<byte> text, long receivedAt)
    {
        while (!text.IsEmpty)
        {
            var newline = text.IndexOf((byte)'\n');
            var line = newline < 0 ? text : text[..newline];
            text = newline < 0 ? default : text[(newline + 1)..];
            if (line.StartsWith("data:"u8))
            {
                values.Clear();
                MessageValues.Extract(line[5..], values);
                if (values.Count > 0)
                {
                    Frames++;
                    Match(receivedAt);
                }
            }
        }
    }

    private void Match(long receivedAt)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var index = run.IndexOf(values[i]);
            if (index < 0 || !seen.Add(index))
            {
                continue;
            }
            var latency = receivedAt - run.SentAt(index);
            run.EndToEnd.RecordTicks(latency);
            run.Spread.Record(index, latency);
            if (i == values.Count - 1)
            {
                Delivered++;
            }
            else
            {
                Coalesced++;
            }
        }
        var newest = run.IndexOf(values[^1]);
        if (newest > NewestIndex)
        {
            NewestIndex = newest;
        }
    }

    /// <summary>Readings acknowledged to the ingest side that this subscriber never saw.</summary>
    public long Missed(long acknowledged) => Math.Max(0, acknowledged - Delivered - Coalesced);

    internal static class MessageValues
    {
        /// <summary>
        /// The values a message carries, newest last: the original snapshot's <c>"data":[...]</c>
        /// array, or a reading's <c>"value":</c>.
        /// </summary>
        public static void Extract(ReadOnlySpan<byte> data, List<long> into)
        {
            var array = data.IndexOf("\"data\":"u8);
            if (array >= 0)
            {
                // The original server's json.dumps puts a space after the colon.
                var rest = data[(array + 7)..].TrimStart((byte)' ');
                rest = rest.IsEmpty || rest[0] != (byte)'[' ? default : rest[1..];
                while (!rest.IsEmpty && rest[0] != (byte)']')
                {
                    if (Utf8Parser.TryParse(rest, out double number, out var used))
                    {
                        into.Add((long)number);
                        rest = rest[used..];
                    }
                    else
                    {
                        rest = rest[1..];
                    }
                }
                return;
            }
            var field = data.IndexOf("\"value\":"u8);
            if (field >= 0 && Utf8Parser.TryParse(data[(field + 8)..].TrimStart((byte)' '), out double value, out _))
            {
                into.Add((long)value);
            }
        }
    }
}
