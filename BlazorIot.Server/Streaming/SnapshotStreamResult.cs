using BlazorIot.Server.Live;

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
        SseResponse.Start(httpContext);
        using var stop = SseResponse.StopToken(httpContext);
        using var subscriber = hub.SubscribeSnapshots(Sensor, options.HeartbeatInterval);
        using var deadline = new SendDeadline(httpContext, options.StalledClientTimeout, stop.Token);
        try
        {
            if (await deadline.SendAsync(httpContext.Response.BodyWriter, SseResponse.Retry(options.RetryInterval)))
            {
                await SseResponse.PumpAsync(httpContext, subscriber, deadline, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went away, or the server is stopping: then it hears when to come back.
            await SseResponse.SayGoodbyeAsync(httpContext);
        }
    }
}
