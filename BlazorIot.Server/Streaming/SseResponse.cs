using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using BlazorIot.Server.Live;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace BlazorIot.Server.Streaming;

/// <summary>What every SSE response of ours does: the headers, the retry hint, and the pump from a subscriber's queue to the socket.</summary>
internal static class SseResponse
{
    public static void Start(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-store";
        // nginx and similar proxies would otherwise hold messages back in their buffers.
        response.Headers["X-Accel-Buffering"] = "no";
        // Also turns response compression off, which would hold messages back too.
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    public static byte[] Retry(TimeSpan interval) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"retry: {(long)interval.TotalMilliseconds}\n\n"));

    /// <summary>
    /// Writes the subscriber's frames as they come until it ends or the client goes: whatever
    /// queued up while the last flush was under way goes out together, in one flush. A client that
    /// has not taken a flush within <see cref="StreamingOptions.StalledClientTimeout"/> is cut off,
    /// so a stuck reader never holds a stream slot and its socket buffers for ever.
    /// </summary>
    public static async Task PumpAsync(HttpContext httpContext, FrameSubscriber subscriber, StreamingOptions options, CancellationToken cancellationToken)
    {
        var writer = httpContext.Response.BodyWriter;
        using var deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, httpContext.RequestServices.GetRequiredService<TimeProvider>());
        using var write = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        while (await subscriber.WaitAsync(cancellationToken))
        {
            using var batch = subscriber.TakeBatch();
            if (batch.IsEnd)
            {
                return;
            }
            deadline.CancelAfter(options.StalledClientTimeout);
            var flushed = default(FlushResult);
            try
            {
                flushed = await writer.WriteAsync(batch.Memory, write.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
            }
            // Cancelled by the deadline, or ended only as it fired (it cannot be re-armed then): either
            // way the flush took the whole timeout, and the client has stalled.
            if (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                Stalled(httpContext);
                return;
            }
            deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            if (flushed.IsCompleted)
            {
                return;
            }
        }
    }

    private static void Stalled(HttpContext httpContext)
    {
        httpContext.RequestServices.GetRequiredService<Operations.BlazorIotMetrics>().StreamClosed("stalled");
        httpContext.Abort();
    }

    private static readonly byte[] Stopping = ": server stopping\nretry: 3000\n\n"u8.ToArray();

    /// <summary>
    /// When the server is stopping (not the client leaving), tells the client to come back in a
    /// few seconds: EventSource then reconnects, to this server once restarted or to another.
    /// </summary>
    public static Task SayGoodbyeAsync(HttpContext httpContext) =>
        httpContext.RequestAborted.IsCancellationRequested ? Task.CompletedTask : SayGoodbyeAsync(httpContext.Response.BodyWriter);

    /// <inheritdoc cref="SayGoodbyeAsync(HttpContext)"/>
    public static async Task SayGoodbyeAsync(PipeWriter writer)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await writer.WriteAsync(Stopping, timeout.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or InvalidOperationException || IsBroken(exception))
        {
            // The client is gone or too slow to take a last frame: nothing more to say.
        }
    }

    /// <summary>The client reset or the transport aborted the connection: a normal end, not an error to log.</summary>
    public static bool IsBroken(Exception exception) =>
        exception is IOException or ConnectionResetException or ConnectionAbortedException or ObjectDisposedException;

    /// <summary>Ends with the client or with the server; both are a normal end of a stream.</summary>
    public static CancellationTokenSource StopToken(HttpContext httpContext) =>
        CancellationTokenSource.CreateLinkedTokenSource(
            httpContext.RequestAborted,
            httpContext.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
}
