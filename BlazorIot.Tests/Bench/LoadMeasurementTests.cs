using System.Net;
using System.Net.Sockets;
using System.Text;
using BlazorIot.Bench.Load;

namespace BlazorIot.Tests.Bench;

/// <summary>The load bench's own measuring: if it miscounts, every figure in docs/benchmarks.md is wrong.</summary>
public sealed class LoadMeasurementTests
{
    [Fact]
    public void Percentiles_land_within_the_histograms_precision()
    {
        var histogram = new LatencyHistogram();
        for (var microseconds = 1; microseconds <= 10_000; microseconds++)
        {
            histogram.Record(microseconds);
        }

        Assert.Equal(10_000, histogram.Count);
        Assert.InRange(histogram.Percentile(50), 5.0 * 0.97, 5.0 * 1.04);
        Assert.InRange(histogram.Percentile(99), 9.9 * 0.97, 9.9 * 1.04);
        Assert.Equal(10.0, histogram.MaxMilliseconds);
        Assert.True(double.IsNaN(new LatencyHistogram().Percentile(99)));
    }

    [Fact]
    public async Task A_subscriber_undoes_chunked_framing_split_anywhere_and_tells_newest_coalesced_and_missed_apart()
    {
        var run = new LoadRun(capacity: 100, valueBase: 1000);
        run.MarkSent(0, 5);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var request = new byte[1024];
            _ = await stream.ReadAsync(request);
            var body = string.Concat(
                Chunk("data: {\"labels\": [\"12:00:00\"], \"data\": [1000]}\n\n"),           // the original server's spacing
                Chunk("data: {\"labels\":[\"a\",\"b\",\"c\"],\"data\":[1000,1001,1002]}\n\n"), // 1001 only inside a later window
                Chunk("id: 7\nevent: reading\ndata: {\"seq\":7,\"sensor\":\"s\","),            // a message split over two chunks
                Chunk("\"value\":1003,\"ts\":\"2026-11-28T12:00:00Z\"}\n\n"),
                "0\r\n\r\n");
            var bytes = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
            // Written a few bytes at a time, so reads end inside size lines, data and trailers.
            for (var at = 0; at < bytes.Length; at += 7)
            {
                await stream.WriteAsync(bytes.AsMemory(at, Math.Min(7, bytes.Length - at)));
                await stream.FlushAsync();
            }
        });
        var subscriber = new SseSubscriber(run);

        Assert.True(await subscriber.ConnectAsync(endpoint, Encoding.ASCII.GetBytes("GET /connexion HTTP/1.1\r\nHost: t\r\n\r\n"), CancellationToken.None));
        await subscriber.ReadAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await server;

        Assert.True(subscriber.Accepted);
        Assert.Equal(3, subscriber.Delivered);
        Assert.Equal(1, subscriber.Coalesced);
        Assert.Equal(1, subscriber.Missed(acknowledged: 5));
        Assert.Equal(3, subscriber.NewestIndex);
        Assert.Equal(4, run.EndToEnd.Count);
    }

    private static string Chunk(string data) => $"{Encoding.UTF8.GetByteCount(data):x}\r\n{data}\r\n";
}
