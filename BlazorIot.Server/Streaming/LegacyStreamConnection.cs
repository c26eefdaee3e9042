using System.IO.Pipelines;
using BlazorIot.Server.Hosting;
using BlazorIot.Server.Live;
using BlazorIot.Shared.Readings;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Streaming;

/// <summary>
/// Serves the original page's stream, <c>GET /connexion</c> on a fresh connection, from the
/// connection itself: the response head, then the hub's shared snapshot frames straight into the
/// socket (<see cref="SocketWriter"/>), without Kestrel's per-request HTTP objects and the middleware that would wait on
/// them for the stream's whole life. An open page costs the server about half as much memory
/// that way (docs/benchmarks.md). Every other request, and this one whenever it is unusual
/// (cross-origin, a body, an upgrade, an over-long head, the stream limit reached), goes on to the
/// HTTP layer untouched. Only used while viewers need no sign-in (<see cref="IsWanted"/>).
/// </summary>
internal sealed class LegacyStreamConnection(
    ConnectionDelegate next, SensorHub hub, IOptions<StreamingOptions> streamingOptions, IHostApplicationLifetime lifetime,
    TimeProvider time, KestrelServerLimits limits)
{
    private static readonly byte[] Head = DirectResponseHead.Encode(
        "HTTP/1.1 200 OK\r\n" +
        "Content-Type: text/event-stream\r\n" +
        "Cache-Control: no-cache, no-store\r\n" +
        "Connection: close\r\n" +
        "X-Accel-Buffering: no\r\n");

    private readonly StreamingOptions options = streamingOptions.Value;

    public static bool IsWanted(IServiceProvider services) =>
        services.GetRequiredService<IOptions<StreamingOptions>>().Value.DirectLegacyStream
        && !Security.ViewerSignIn.IsEnabled(services.GetRequiredService<IConfiguration>());

    public async Task OnConnectedAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        int headLength;
        // As Kestrel would: a connection that sends nothing is closed after the keep-alive
        // timeout, one that trickles its head after the request-headers timeout.
        using (var quiet = QuietRead.Start(connection, time, limits.KeepAliveTimeout))
        {
            while (true)
            {
                if (await input.ReadUnlessQuietAsync(quiet) is not { } read)
                {
                    return;
                }
                var buffer = read.Buffer;
                quiet.CancelAfter(limits.RequestHeadersTimeout);
                var verdict = LegacyStreamRequest.Examine(buffer, out headLength);
                if (verdict == HeadVerdict.Claim && hub.StreamCount < options.MaxSubscribers)
                {
                    input.AdvanceTo(buffer.GetPosition(headLength));
                    break;
                }
                if (verdict == HeadVerdict.NeedMore && !read.IsCompleted)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    continue;
                }
                // Nothing consumed or marked examined: the HTTP layer reads these same bytes at once.
                input.AdvanceTo(buffer.Start);
                await next(connection);
                return;
            }
        }
        await ServeAsync(connection);
    }

    private async Task ServeAsync(ConnectionContext connection)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, lifetime.ApplicationStopping);
        using var subscriber = hub.SubscribeSnapshots(SensorId.Legacy, options.HeartbeatInterval);
        var output = SocketWriter.For(connection);
        try
        {
            DirectResponseHead.Write(output, Head, time);
            if (!await WriteAsync(connection, output, SseResponse.Retry(options.RetryInterval), stop.Token))
            {
                return;
            }
            while (await subscriber.WaitAsync(stop.Token))
            {
                using var batch = subscriber.TakeBatch();
                if (batch.IsEnd || !await WriteAsync(connection, output, batch.Memory, stop.Token))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            if (!connection.ConnectionClosed.IsCancellationRequested)
            {
                // The server is stopping: the page hears when to come back (to this server restarted, or another).
                await SseResponse.SayGoodbyeAsync(output);
            }
        }
    }

    /// <summary>
    /// Writes and flushes. A client that stops reading (its buffers full) is dropped once a flush
    /// has waited <see cref="StreamingOptions.StalledClientTimeout"/>, as Kestrel's minimum
    /// response data rate would drop it on the HTTP path; the hub never waits for it meanwhile.
    /// </summary>
    private async ValueTask<bool> WriteAsync(ConnectionContext connection, PipeWriter output, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            var flush = output.WriteAsync(data, cancellationToken);
            if (flush.IsCompletedSuccessfully)
            {
                return !flush.Result.IsCompleted;
            }
            var result = await flush.AsTask().WaitAsync(options.StalledClientTimeout, time, cancellationToken);
            return !result.IsCompleted;
        }
        catch (TimeoutException)
        {
            connection.Abort(new ConnectionAbortedException("The client stopped reading its stream."));
            return false;
        }
        catch (Exception exception) when (QuietRead.IsBroken(exception))
        {
            return false;
        }
    }
}
