using System.Globalization;
using System.Text;
using BlazorIot.Server.Live;
using Microsoft.AspNetCore.Http.Features;

namespace BlazorIot.Server.Streaming;

/// <summary>
/// Streams one sensor's snapshots as <c>text/event-stream</c> until the client leaves or the
/// server stops. Frames come pre-encoded from the hub; this only copies them out and flushes.
/// </summary>
public sealed class SnapshotStreamResult(string sensor, StreamingOptions options) : IResult
{
    public string Sensor { get; } = sensor;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var hub = httpContext.RequestServices.GetRequiredService<SensorHub>();
        var lifetime = httpContext.RequestServices.GetRequiredService<IHostApplicationLifetime>();

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-store";
        // nginx and similar proxies would otherwise hold messages back in their buffers.
        response.Headers["X-Accel-Buffering"] = "no";
        // Also turns response compression off, which would batch messages.
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, lifetime.ApplicationStopping);
        var token = stop.Token;
        using var subscriber = hub.SubscribeSnapshots(Sensor, options.HeartbeatInterval);
        var writer = response.BodyWriter;
        try
        {
            var retry = Encoding.ASCII.GetBytes(
                string.Create(CultureInfo.InvariantCulture, $"retry: {(long)options.RetryInterval.TotalMilliseconds}\n\n"));
            var flushed = await writer.WriteAsync(retry, token);
            while (!flushed.IsCompleted)
            {
                var frame = await subscriber.NextAsync(token);
                flushed = await writer.WriteAsync(frame, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The client went away or the server is stopping: the stream simply ends.
        }
    }
}
