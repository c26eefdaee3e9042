using System.Buffers;
using BlazorIot.Server.Live;
using BlazorIot.Server.Storage;

namespace BlazorIot.Server.Streaming;

/// <summary>
/// <c>/api/stream</c>: one <c>event: reading</c> per reading, <c>id:</c> its sequence id. With a
/// Last-Event-ID N it first replays what the client missed from the store, then goes live. The
/// live subscription is registered first, atomically with the id P it starts after, so the
/// replay is exactly (N, P] and the live part exactly what follows P: no gap, no duplicate.
/// </summary>
public sealed class ReadingStreamResult(IReadOnlySet<string>? sensors, long? lastEventId, StreamingOptions options) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var hub = httpContext.RequestServices.GetRequiredService<SensorHub>();
        var store = httpContext.RequestServices.GetRequiredService<ReadingStore>();
        SseResponse.Start(httpContext);
        using var stop = SseResponse.StopToken(httpContext);
        var token = stop.Token;
        if (lastEventId is { } wanted && wanted > hub.LastSequence)
        {
            await CatchUpWithStoreAsync(hub, store, wanted, token);
        }
        var start = hub.SubscribeReadings(sensors, options.HeartbeatInterval, options.ReadingQueueCapacity);
        using var subscriber = start.Subscriber;
        using var deadline = new SendDeadline(httpContext, options.StalledClientTimeout, token);
        var writer = httpContext.Response.BodyWriter;
        try
        {
            writer.Write(SseResponse.Retry(options.RetryInterval));
            if (lastEventId is { } after)
            {
                var horizon = await store.RetentionHorizonAsync(token);
                if (after > start.LiveAfter || after < horizon)
                {
                    // The client's place is gone (removed by retention) or was never ours: start it over from the current windows.
                    writer.Write(ReadingFrame.Reset);
                    foreach (var reading in start.Windows)
                    {
                        // An imported reading can be in a window with an id above the live part's start:
                        // as a stream's id the client would come back with an id this stream never gave.
                        if (reading.Sequence <= start.LiveAfter)
                        {
                            writer.Write(ReadingFrame.Encode(reading));
                        }
                    }
                }
                else
                {
                    await foreach (var reading in store.ReplayAsync(after, start.LiveAfter, sensors, token))
                    {
                        writer.Write(ReadingFrame.Encode(reading));
                        // A client that stops reading during a long replay is cut off like a live one.
                        if (writer.UnflushedBytes > 64 * 1024 && !await deadline.SendAsync(writer))
                        {
                            return;
                        }
                    }
                }
            }
            if (!await deadline.SendAsync(writer))
            {
                return;
            }
            // Ends when the queue overflows: the client reconnects with its Last-Event-ID and replays from the store.
            await SseResponse.PumpAsync(httpContext, subscriber, deadline, token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went away, or the server is stopping: then it hears when to come back.
            await SseResponse.SayGoodbyeAsync(httpContext);
        }
    }

    /// <summary>
    /// With several instances a client may come back to this one with an id another instance sent
    /// it that this instance's feed has not published yet: wait (briefly) for the feed rather than
    /// treat the id as unknown and start the client over.
    /// </summary>
    private static async Task CatchUpWithStoreAsync(SensorHub hub, ReadingStore store, long wanted, CancellationToken cancellationToken)
    {
        if (wanted > await store.LastSequenceAsync(cancellationToken))
        {
            return;
        }
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = hub.SubscribeAll(reading =>
        {
            if (reading.Sequence >= wanted)
            {
                reached.TrySetResult();
            }
        });
        if (hub.LastSequence >= wanted)
        {
            return;
        }
        try
        {
            await reached.Task.WaitAsync(FeedCatchUpLimit, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The feed is stuck; the client is started over rather than kept waiting.
        }
    }

    private static readonly TimeSpan FeedCatchUpLimit = TimeSpan.FromSeconds(5);
}
