using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using MessagePack;

namespace BlazorIot.Bench.Circuits;

/// <summary>
/// A headless Blazor Server client that speaks the hub's protocol (blazorpack: SignalR's
/// MessagePack messages, each behind a variable-length size) itself over one WebSocket, and does
/// what <see cref="BlazorCircuitClient"/> does: starts the circuit with the page's component
/// markers, acknowledges every render batch and answers every JS interop call. It exists because
/// the load generator shares the server's cores: the .NET client's dispatch (an async handler, a
/// send through its pipes, and a timer per connection) cost the bench more CPU per update than
/// the server's own render, and the target measures the server.
/// </summary>
internal sealed class WebSocketCircuitClient : ICircuitClient
{
    private const byte RecordSeparator = 0x1e;
    private const int InvocationType = 1;
    private const int CompletionType = 3;
    private const int PingType = 6;
    private const int CloseType = 7;
    private const string StartCircuitId = "0";

    private readonly ClientWebSocket socket = new();
    private readonly Uri page;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> body = new(256);
    private readonly ArrayBufferWriter<byte> outgoing = new(256);
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource<string?> circuitStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] incoming = new byte[16 * 1024];
    private Task receiving = Task.CompletedTask;
    private long arrived;
    private readonly JSCallAnswers answers = new();
    private long renderBatches;

    public WebSocketCircuitClient(Uri page) => this.page = page;

    public Action<string, long>? ChartUpdate { get; set; }

    public long RenderBatches => Interlocked.Read(ref renderBatches);

    private delegate void ArgumentsWriter<TState>(ref MessagePackWriter writer, TState state);

    public async Task StartAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var circuitPage = await CircuitPage.LoadAsync(http, page, cancellationToken);
        // The hub pings every 15 s and each ping is answered, so the socket needs no keep-alive of its own.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        var hub = new UriBuilder(new Uri(page, "/_blazor")) { Scheme = page.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        await socket.ConnectAsync(hub, cancellationToken);
        await socket.SendAsync("{\"protocol\":\"blazorpack\",\"version\":1}\u001e"u8.ToArray(), WebSocketMessageType.Binary, true, cancellationToken);
        var leftover = await ReceiveHandshakeAsync(cancellationToken);
        receiving = ReceiveAsync(leftover);

        await SendInvocationAsync(StartCircuitId, "StartCircuit", (circuitPage.BaseUri, page.ToString(), circuitPage.State),
            static (ref MessagePackWriter writer, (string BaseUri, string Uri, string State) start) =>
            {
                writer.WriteArrayHeader(4);
                writer.Write(start.BaseUri);
                writer.Write(start.Uri);
                writer.Write("[]");
                writer.Write(start.State);
            }, cancellationToken);
        var circuit = await circuitStarted.Task.WaitAsync(cancellationToken);
        if (string.IsNullOrEmpty(circuit))
        {
            throw new InvalidOperationException("The server refused the circuit.");
        }
        await SendInvocationAsync(null, "UpdateRootComponents", (circuitPage.AddComponentsOperations(), circuitPage.State),
            static (ref MessagePackWriter writer, (string Operations, string State) update) =>
            {
                writer.WriteArrayHeader(2);
                writer.Write(update.Operations);
                writer.Write(update.State);
            }, cancellationToken);
    }

    /// <summary>Reads the hub's handshake answer; returns how many bytes of messages followed it.</summary>
    private async Task<int> ReceiveHandshakeAsync(CancellationToken cancellationToken)
    {
        var filled = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(incoming.AsMemory(filled), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("The hub closed the connection during the handshake.");
            }
            filled += result.Count;
            var end = incoming.AsSpan(0, filled).IndexOf(RecordSeparator);
            if (end >= 0)
            {
                if (incoming.AsSpan(0, end).IndexOf("\"error\""u8) >= 0)
                {
                    throw new InvalidOperationException("The hub refused the handshake: " + System.Text.Encoding.UTF8.GetString(incoming, 0, end));
                }
                incoming.AsSpan(end + 1, filled - end - 1).CopyTo(incoming);
                return filled - end - 1;
            }
            if (filled == incoming.Length)
            {
                throw new InvalidOperationException("The hub's handshake answer is too long.");
            }
        }
    }

    private async Task ReceiveAsync(int filled)
    {
        var cancellationToken = stopping.Token;
        try
        {
            while (true)
            {
                var start = 0;
                while (TryReadMessage(incoming.AsMemory(start, filled - start), out var length, out var reply))
                {
                    start += length;
                    if (reply.Kind == ReplyKind.Closed)
                    {
                        circuitStarted.TrySetException(new InvalidOperationException("The hub closed the connection."));
                        return;
                    }
                    await ReplyAsync(reply, cancellationToken);
                }
                incoming.AsSpan(start, filled - start).CopyTo(incoming);
                filled -= start;
                if (filled == incoming.Length)
                {
                    Array.Resize(ref incoming, incoming.Length * 2);
                }
                var result = await socket.ReceiveAsync(incoming.AsMemory(filled), cancellationToken);
                arrived = Stopwatch.GetTimestamp();
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    circuitStarted.TrySetException(new InvalidOperationException("The hub closed the connection."));
                    return;
                }
                filled += result.Count;
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or MessagePackSerializationException or InvalidDataException)
        {
            circuitStarted.TrySetException(exception);
        }
    }

    /// <summary>Reads one whole message, if the buffer holds one, and says what it needs in reply.</summary>
    private bool TryReadMessage(ReadOnlyMemory<byte> buffer, out int length, out Reply reply)
    {
        reply = default;
        length = 0;
        if (!TryReadSize(buffer.Span, out var size, out var prefix) || buffer.Length - prefix < size)
        {
            return false;
        }
        length = prefix + size;
        var reader = new MessagePackReader(buffer.Slice(prefix, size));
        reader.ReadArrayHeader();
        switch (reader.ReadInt32())
        {
            case InvocationType:
                reply = ReadInvocation(ref reader);
                break;
            case CompletionType:
                ReadCompletion(ref reader);
                break;
            case PingType:
                reply = new Reply(ReplyKind.Ping, 0, 0);
                break;
            case CloseType:
                reply = new Reply(ReplyKind.Closed, 0, 0);
                break;
        }
        return true;
    }

    private Reply ReadInvocation(ref MessagePackReader reader)
    {
        SkipHeaders(ref reader);
        reader.Skip();
        var target = ReadStringSpan(ref reader);
        reader.ReadArrayHeader();
        if (target.SequenceEqual("JS.RenderBatch"u8))
        {
            var batchId = reader.ReadInt64();
            var batch = reader.ReadBytes() ?? throw new InvalidDataException("A render batch without bytes.");
            Interlocked.Increment(ref renderBatches);
            if (ChartUpdate is { } update)
            {
                foreach (var appended in ChartAppendScanner.Find(batch.FirstSpan))
                {
                    update(appended, arrived);
                }
            }
            return new Reply(ReplyKind.RenderCompleted, batchId, 0);
        }
        if (target.SequenceEqual("JS.BeginInvokeJS"u8))
        {
            var asyncHandle = reader.ReadInt64();
            reader.Skip();
            reader.Skip();
            var resultType = reader.ReadInt32();
            return asyncHandle == 0 ? default : new Reply(ReplyKind.JSInvoked, asyncHandle, resultType);
        }
        return default;
    }

    private void ReadCompletion(ref MessagePackReader reader)
    {
        SkipHeaders(ref reader);
        if (reader.ReadString() != StartCircuitId)
        {
            return;
        }
        switch (reader.ReadInt32())
        {
            case 1:
                circuitStarted.TrySetException(new InvalidOperationException("StartCircuit failed: " + reader.ReadString()));
                break;
            case 3:
                circuitStarted.TrySetResult(reader.TryReadNil() ? null : reader.ReadString());
                break;
            default:
                circuitStarted.TrySetResult(null);
                break;
        }
    }

    private static void SkipHeaders(ref MessagePackReader reader)
    {
        var headers = reader.ReadMapHeader();
        for (var i = 0; i < 2 * headers; i++)
        {
            reader.Skip();
        }
    }

    private static ReadOnlySpan<byte> ReadStringSpan(ref MessagePackReader reader) =>
        reader.TryReadStringSpan(out var span) ? span : throw new InvalidDataException("A hub message's target is not one contiguous string.");

    /// <summary>SignalR's binary size prefix: seven bits a byte, low bits first, at most five bytes.</summary>
    private static bool TryReadSize(ReadOnlySpan<byte> buffer, out int size, out int prefix)
    {
        size = 0;
        for (prefix = 0; prefix < Math.Min(5, buffer.Length); prefix++)
        {
            size |= (buffer[prefix] & 0x7f) << (7 * prefix);
            if ((buffer[prefix] & 0x80) == 0)
            {
                prefix++;
                return true;
            }
        }
        if (prefix == 5)
        {
            throw new InvalidDataException("A hub message's size prefix is longer than five bytes.");
        }
        return false;
    }

    private Task ReplyAsync(Reply reply, CancellationToken cancellationToken) => reply.Kind switch
    {
        ReplyKind.RenderCompleted => SendInvocationAsync(null, "OnRenderCompleted", reply.Handle,
            static (ref MessagePackWriter writer, long batchId) =>
            {
                writer.WriteArrayHeader(2);
                writer.Write(batchId);
                writer.WriteNil();
            }, cancellationToken),
        ReplyKind.JSInvoked => SendInvocationAsync(null, "EndInvokeJSFromDotNet", (reply.Handle, Result: answers.For(reply.Handle, reply.ResultType)),
            static (ref MessagePackWriter writer, (long Handle, string Result) invoked) =>
            {
                writer.WriteArrayHeader(3);
                writer.Write(invoked.Handle);
                writer.Write(true);
                writer.Write(invoked.Result);
            }, cancellationToken),
        ReplyKind.Ping => SendAsync(0, static (ref MessagePackWriter writer, int _) =>
            {
                writer.WriteArrayHeader(1);
                writer.Write(PingType);
            }, cancellationToken),
        _ => Task.CompletedTask,
    };

    private Task SendInvocationAsync<TState>(string? invocationId, string target, TState state, ArgumentsWriter<TState> arguments, CancellationToken cancellationToken) =>
        SendAsync((invocationId, target, state, arguments), static (ref MessagePackWriter writer, (string? Id, string Target, TState State, ArgumentsWriter<TState> Arguments) invocation) =>
        {
            writer.WriteArrayHeader(5);
            writer.Write(InvocationType);
            writer.WriteMapHeader(0);
            if (invocation.Id is null)
            {
                writer.WriteNil();
            }
            else
            {
                writer.Write(invocation.Id);
            }
            writer.Write(invocation.Target);
            invocation.Arguments(ref writer, invocation.State);
            writer.WriteArrayHeader(0);
        }, cancellationToken);

    private async Task SendAsync<TState>(TState state, ArgumentsWriter<TState> message, CancellationToken cancellationToken)
    {
        await sendLock.WaitAsync(cancellationToken);
        try
        {
            Frame(state, message);
            await socket.SendAsync(outgoing.WrittenMemory, WebSocketMessageType.Binary, true, cancellationToken);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private void Frame<TState>(TState state, ArgumentsWriter<TState> message)
    {
        body.ResetWrittenCount();
        var writer = new MessagePackWriter(body);
        message(ref writer, state);
        writer.Flush();
        outgoing.ResetWrittenCount();
        var size = body.WrittenCount;
        var prefix = outgoing.GetSpan(5);
        var used = 0;
        do
        {
            prefix[used++] = (byte)((size & 0x7f) | (size > 0x7f ? 0x80 : 0));
            size >>= 7;
        }
        while (size > 0);
        outgoing.Advance(used);
        outgoing.Write(body.WrittenSpan);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await sendLock.WaitAsync();
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
                finally
                {
                    sendLock.Release();
                }
            }
            await receiving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception exception) when (exception is WebSocketException or TimeoutException)
        {
            // Gone or silent already: the socket is dropped below.
        }
        stopping.Cancel();
        await receiving;
        socket.Dispose();
        sendLock.Dispose();
        stopping.Dispose();
    }

    private enum ReplyKind
    {
        None,
        RenderCompleted,
        JSInvoked,
        Ping,
        Closed,
    }

    private readonly record struct Reply(ReplyKind Kind, long Handle, int ResultType);
}
