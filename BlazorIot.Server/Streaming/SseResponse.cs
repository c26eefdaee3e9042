using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using BlazorIot.Server.Live;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

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
        // A stream's send deadline is Streaming:StalledClientTimeout (SendDeadline), counted when it
        // cuts a client off; Kestrel's minimum response data rate would cut a stalled stream first
        // (after its 5 s grace), uncounted, whatever the setting says.
        if (httpContext.Features.Get<IHttpMinResponseDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }
    }

    public static byte[] Retry(TimeSpan interval) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"retry: {(long)interval.TotalMilliseconds}\n\n"));

    /// <summary>
    /// Writes the subscriber's frames as they come until it ends or the client goes: whatever
    /// queued up while the last flush was under way goes out together, in one flush, under the
    /// stream's <paramref name="deadline"/>, so a stuck reader never holds a stream slot and its
    /// socket buffers for ever.
    /// </summary>
    public static async Task PumpAsync(HttpContext httpContext, FrameSubscriber subscriber, SendDeadline deadline, CancellationToken cancellationToken)
    {
        var writer = httpContext.Response.BodyWriter;
        while (await subscriber.WaitAsync(cancellationToken))
        {
            using var batch = subscriber.TakeBatch();
            if (batch.IsEnd || !await deadline.SendAsync(writer, batch.Memory))
            {
                return;
            }
        }
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
