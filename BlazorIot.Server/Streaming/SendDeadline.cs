using System.IO.Pipelines;

namespace BlazorIot.Server.Streaming;

/// <summary>
/// The send deadline of one stream: every write and flush to its client must complete within
/// <see cref="StreamingOptions.StalledClientTimeout"/> (on the server's <see cref="TimeProvider"/>),
/// or the client has stalled: the connection is aborted, which frees its stream slot and socket
/// buffers, and counted as <c>blazoriot.sse.closed{reason=stalled}</c>.
/// </summary>
internal sealed class SendDeadline : IDisposable
{
    private readonly HttpContext httpContext;
    private readonly TimeSpan timeout;
    private readonly CancellationTokenSource deadline;
    private readonly CancellationTokenSource send;

    /// <param name="stop">Ends the stream for another reason (the client left, the server stops); that is not a stall.</param>
    public SendDeadline(HttpContext httpContext, TimeSpan timeout, CancellationToken stop)
    {
        this.httpContext = httpContext;
        this.timeout = timeout;
        deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, httpContext.RequestServices.GetRequiredService<TimeProvider>());
        send = CancellationTokenSource.CreateLinkedTokenSource(stop, deadline.Token);
    }

    /// <summary>
    /// Writes <paramref name="data"/> (nothing: flushes what the writer holds) and waits for the
    /// client to take it. False when the stream is over: the client stalled (the connection is then
    /// aborted) or the response completed.
    /// </summary>
    /// <exception cref="OperationCanceledException">When <c>stop</c> fired first.</exception>
    public async ValueTask<bool> SendAsync(PipeWriter writer, ReadOnlyMemory<byte> data = default)
    {
        deadline.CancelAfter(timeout);
        var flushed = default(FlushResult);
        try
        {
            flushed = data.IsEmpty ? await writer.FlushAsync(send.Token) : await writer.WriteAsync(data, send.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // Kestrel aborts a connection whose write was cancelled, which fires stop too: still a stall.
        }
        // Cancelled by the deadline, or ended only as it fired (it cannot be re-armed then): either
        // way the send took the whole timeout, and the client has stalled.
        if (deadline.IsCancellationRequested)
        {
            httpContext.RequestServices.GetRequiredService<Operations.BlazorIotMetrics>().StreamClosed("stalled");
            httpContext.Abort();
            return false;
        }
        deadline.CancelAfter(Timeout.InfiniteTimeSpan);
        return !flushed.IsCompleted;
    }

    public void Dispose()
    {
        send.Dispose();
        deadline.Dispose();
    }
}
