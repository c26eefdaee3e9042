using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace BlazorIot.Server.Hosting;

/// <summary>
/// Writes a direct handler's response straight into the connection's socket. Kestrel's transport
/// output would copy each write into a pooled 4 kB block and send it later from its I/O queue; a
/// burst to 10,000 streams then holds ~40 MB of blocks at once and reaches the first page only
/// after every write is queued (docs/benchmarks.md). Here the shared frame is sent from where it
/// lies, while the writer's own thread has it in cache, and nothing is held once it is sent.
/// Only used on Kestrel's own plain-TCP socket: see <see cref="For"/>.
/// </summary>
internal sealed class SocketWriter : PipeWriter
{
    private readonly Socket socket;
    // Cancels the send in flight: by CancelPendingFlush, or by the caller's token once the send has to wait.
    private CancellationTokenSource sendCancellation = new();
    private byte[]? buffer;
    private int buffered;
    private bool completed;

    private SocketWriter(Socket socket) => this.socket = socket;

    /// <summary>
    /// The writer for a handler's response: the socket itself when the connection is Kestrel's
    /// plain TCP connection (no TLS), otherwise the transport's output (TLS, in-memory transports).
    /// A handler that hands the connection on afterwards must have awaited every flush first, so
    /// that what the HTTP layer writes next follows it on the wire.
    /// </summary>
    public static PipeWriter For(ConnectionContext connection) =>
        connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket && connection.Features.Get<ITlsConnectionFeature>() is null
            ? new SocketWriter(socket)
            : connection.Transport.Output;

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => buffered;

    public override Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(buffered);

    public override Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(buffered);

    public override void Advance(int bytes)
    {
        if (bytes < 0 || buffer is null || buffered + bytes > buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), "Advanced past the memory that was handed out.");
        }
        buffered += bytes;
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        cancellationToken.ThrowIfCancellationRequested();
        if (sendCancellation.IsCancellationRequested)
        {
            // CancelPendingFlush with nothing in flight cancels this flush; the bytes stay for the next, as in a pipe.
            sendCancellation = new CancellationTokenSource();
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: true, isCompleted: false));
        }
        if (buffered == 0)
        {
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
        }
        var pending = buffer!;
        var length = buffered;
        buffer = null;
        buffered = 0;
        return SendThenReturnAsync(pending, length, cancellationToken);
    }

    /// <summary>Sends <paramref name="source"/> without copying it, unless bytes are buffered before it.</summary>
    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        if (buffered > 0 || sendCancellation.IsCancellationRequested)
        {
            // One send for what was buffered and the data (or both kept for the next flush, when this one is cancelled).
            source.Span.CopyTo(GetSpan(source.Length));
            Advance(source.Length);
            return FlushAsync(cancellationToken);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return SendAsync(source, cancellationToken);
    }

    /// <summary>
    /// Cancels the send in flight, or the next flush, which then reports <see cref="FlushResult.IsCanceled"/>.
    /// Unlike a pipe's, a send cancelled in flight may have put part of its bytes on the wire and drops the rest.
    /// </summary>
    public override void CancelPendingFlush() => sendCancellation.Cancel();

    /// <summary>Ends this writer; the connection stays open (Kestrel owns and closes the socket).</summary>
    public override void Complete(Exception? exception = null)
    {
        completed = true;
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
            buffered = 0;
        }
    }

    private void ThrowIfCompleted()
    {
        if (completed)
        {
            // As a completed pipe writer reports it.
            throw new InvalidOperationException("Writing is not allowed after the writer was completed.");
        }
    }

    private byte[] Reserve(int sizeHint)
    {
        ThrowIfCompleted();
        var needed = buffered + Math.Max(sizeHint, 256);
        if (buffer is null || buffer.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 1024));
            if (buffer is not null)
            {
                buffer.AsSpan(0, buffered).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
            }
            buffer = larger;
        }
        return buffer;
    }

    private async ValueTask<FlushResult> SendThenReturnAsync(byte[] pending, int length, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(pending.AsMemory(0, length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pending);
        }
    }

    private ValueTask<FlushResult> SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ValueTask<int> send;
        try
        {
            send = socket.SendAsync(data, SocketFlags.None, sendCancellation.Token);
        }
        catch (SocketException exception)
        {
            throw Broken(exception);
        }
        if (send.IsCompletedSuccessfully && send.Result == data.Length)
        {
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
        }
        return AwaitSendAsync(send, data, cancellationToken);
    }

    private async ValueTask<FlushResult> AwaitSendAsync(ValueTask<int> send, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        // Only a send that has to wait (the client's buffers are full) pays for watching the caller's token.
        var sending = sendCancellation;
        using var registration = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), sending);
        try
        {
            for (var sent = await send; sent < data.Length; sent += await socket.SendAsync(data[sent..], SocketFlags.None, sending.Token))
            {
            }
            return new FlushResult(isCanceled: false, isCompleted: false);
        }
        catch (OperationCanceledException) when (sending.IsCancellationRequested)
        {
            sendCancellation = new CancellationTokenSource();
            cancellationToken.ThrowIfCancellationRequested();
            return new FlushResult(isCanceled: true, isCompleted: false);
        }
        catch (SocketException exception)
        {
            throw Broken(exception);
        }
    }

    /// <summary>As Kestrel's transport reports it: the client reset or went away.</summary>
    private static ConnectionResetException Broken(SocketException exception) => new(exception.Message, exception);
}
