using System.IO.Pipelines;
using System.Net;
using BlazorIot.Server.Hosting;
using BlazorIot.Server.Security;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace BlazorIot.Server.Ingest;

/// <summary>
/// Answers the original device's writes, <c>GET /luminosity/{integer}</c> in their plain form,
/// from the connection itself, one after another on a kept-alive connection: the same store,
/// rate-limit buckets and answer as the endpoint, without Kestrel's per-request HTTP objects,
/// routing and middleware (docs/benchmarks.md). The first request it does not recognise, and
/// every write it may not answer alone (ingest needs keys, the address's bucket is empty, the
/// store is unavailable), goes to the HTTP layer with the connection, unconsumed.
/// </summary>
internal sealed class LegacyIngestConnection(
    ConnectionDelegate next, ReadingIngest ingest, IngestGate gate, IngestBuckets buckets, TimeProvider time, KestrelServerLimits limits)
{
    private static readonly byte[] Ok = DirectResponseHead.Encode("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n");
    private static readonly byte[] OkThenClose = DirectResponseHead.Encode("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n");

    public async Task OnConnectedAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var output = SocketWriter.For(connection);
        var partition = IngestRateLimits.AddressPartition((connection.RemoteEndPoint as IPEndPoint)?.Address);
        // As Kestrel would: an idle connection closes after the keep-alive timeout, a trickled head after the headers timeout.
        using var quiet = QuietRead.Start(connection, time, limits.KeepAliveTimeout);
        var answeredHere = false;
        while (true)
        {
            if (await input.ReadUnlessQuietAsync(quiet) is not { } read)
            {
                return;
            }
            var buffer = read.Buffer;
            if (buffer.IsEmpty && read.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                return;
            }
            quiet.CancelAfter(limits.RequestHeadersTimeout);
            var verdict = LegacyIngestRequest.Examine(buffer, out var head);
            if (verdict == HeadVerdict.NeedMore && !read.IsCompleted)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }
            bool stored;
            try
            {
                stored = verdict == HeadVerdict.Claim && await TryStoreAsync(partition, head.Value, connection.ConnectionClosed);
            }
            catch (OperationCanceledException) when (connection.ConnectionClosed.IsCancellationRequested)
            {
                input.AdvanceTo(buffer.Start);
                return;
            }
            if (!stored)
            {
                // Nothing consumed or marked examined: the HTTP layer reads these same bytes at once.
                input.AdvanceTo(buffer.Start);
                if (answeredHere || verdict == HeadVerdict.Claim)
                {
                    // After a write (answered, or failed in its commit) this code may run on the writer's
                    // thread, which is not for the HTTP pipeline.
                    await Task.Yield();
                }
                await next(connection);
                return;
            }
            answeredHere = true;
            input.AdvanceTo(buffer.GetPosition(head.Length));
            DirectResponseHead.Write(output, head.Close ? OkThenClose : Ok, time);
            FlushResult flushed;
            try
            {
                flushed = await output.FlushAsync(connection.ConnectionClosed);
            }
            catch (Exception exception) when (QuietRead.IsBroken(exception) || exception is OperationCanceledException)
            {
                return;
            }
            if (flushed.IsCompleted || head.Close)
            {
                return;
            }
            quiet.CancelAfter(limits.KeepAliveTimeout);
        }
    }

    private async ValueTask<bool> TryStoreAsync(string partition, long value, CancellationToken cancellationToken)
    {
        if (!gate.IsOpen)
        {
            return false;
        }
        if (!buckets.TryTake(partition))
        {
            // The endpoint answers 429 with Retry-After.
            return false;
        }
        try
        {
            // The answer is a few bytes into the connection's pipe, so it is written from the writer's
            // thread: a hand-off to the pool per reading cost about a tenth of the server's CPU.
            await ingest.AcceptAsync(new ReadingInput(SensorId.Legacy, value), cancellationToken, AnswerThread.Writer);
            return true;
        }
        catch (StoreUnavailableException)
        {
            // The endpoint tries again and answers 503 with problem details if it still fails.
            return false;
        }
    }
}
