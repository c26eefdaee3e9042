using System.Net.Http.Json;
using BlazorIot.Server.Operations;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using BlazorIot.Tests.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Streaming;

/// <summary>
/// Both stream routes under <c>Streaming:StalledClientTimeout</c>, measured on the server's clock
/// (a fake one here): a client that stops reading is cut off, counted, and its slot freed; a client
/// that reads keeps its stream.
/// </summary>
public sealed class StalledClientTests
{
    [Theory]
    [InlineData("/connexion")]
    [InlineData("/api/stream")]
    public async Task A_client_that_stops_reading_is_dropped_and_counted_its_slot_freed_and_a_client_that_reads_keeps_its_stream(string route)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = LiveServer.Start(time, new Dictionary<string, string?>
        {
            // No heartbeats: nothing but the test's own readings is written while the clock jumps.
            ["Streaming:HeartbeatInterval"] = "01:00:00",
            // A reading stream that falls behind is otherwise closed for that first; this is about stalling.
            ["Streaming:ReadingQueueCapacity"] = "1000000",
            ["Streaming:MaxSubscribers"] = "2",
        });
        using var stalledCount = new StalledCount(server.Services.GetRequiredService<BlazorIotMetrics>().Meter, "blazoriot.sse.closed");
        var request = $"GET {route} HTTP/1.1\r\nHost: lab\r\nAccept: text/event-stream\r\n\r\n";
        // Takes at most a few kB: the server's sends to it soon have to wait.
        using var stalled = await RawConnection.OpenAsync(server, request, receiveBuffer: 1024);
        using var reading = await RawConnection.OpenAsync(server, request);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", await reading.ReadHeadAsync());
        Assert.Equal("retry: 3000", await reading.ReadChunkedLineAsync());
        using var stop = new CancellationTokenSource();
        var received = 0L;
        var drain = Task.Run(async () =>
        {
            // In bulk, not line by line: this client keeps up with the bursts below.
            while (!stop.IsCancellationRequested && await reading.DiscardAvailableAsync() is var count and > 0)
            {
                Interlocked.Add(ref received, count);
            }
        });
        var hub = server.Hub;
        await Eventually.TrueAsync(() => hub.StreamCount == 2, "both clients are streaming");

        // Bursts of readings until the stalled client's buffers are full and a flush to it waits.
        // The clock jumps past the timeout only between bursts, once the reading client has taken
        // everything: then only a flush that is really waiting is overtaken by it.
        var value = 1e15;
        for (var round = 1; hub.StreamCount == 2; round++)
        {
            Assert.True(round <= 50, "the client that stopped reading was still streaming after 50 bursts");
            for (var i = 0; i < 2000; i++)
            {
                hub.Publish(SensorId.Legacy, value++, time.GetUtcNow());
                await Task.Yield();
            }
            await SettledAsync();
            time.Advance(TimeSpan.FromSeconds(31));
            await Task.Delay(50);
        }

        var before = await SettledAsync();
        hub.Publish(SensorId.Legacy, value, time.GetUtcNow());
        await Eventually.TrueAsync(() => Interlocked.Read(ref received) > before, "the reading client still gets new readings");
        Assert.Equal(1, hub.StreamCount);
        Assert.False(drain.IsCompleted, "the reading client's stream is still open");
        Assert.Equal(1, stalledCount.Value);
        using var next = await RawConnection.OpenAsync(server, request);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", await next.ReadHeadAsync());
        await stop.CancelAsync();

        // Once nothing more has come for a while, what was sent has all arrived.
        async Task<long> SettledAsync()
        {
            var then = Interlocked.Read(ref received);
            while (true)
            {
                await Task.Delay(100);
                var now = Interlocked.Read(ref received);
                if (now == then)
                {
                    return now;
                }
                then = now;
            }
        }
    }

    [Fact]
    public async Task A_resuming_client_that_stops_reading_during_its_replay_is_dropped()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = LiveServer.Start(time);
        using var stalledCount = new StalledCount(server.Services.GetRequiredService<BlazorIotMetrics>().Meter, "blazoriot.sse.closed");
        using var client = server.CreateNetworkClient();
        // About 6 MB of frames to replay: far more than the socket buffers hold.
        for (var batch = 0; batch < 50; batch++)
        {
            var readings = Enumerable.Range(0, 1000).Select(i => new { sensor = "s", value = batch * 1000 + i });
            (await client.PostAsJsonAsync("/api/readings", readings)).EnsureSuccessStatusCode();
        }

        using var stalled = await RawConnection.OpenAsync(server, "GET /api/stream HTTP/1.1\r\nHost: lab\r\nLast-Event-ID: 0\r\n\r\n", receiveBuffer: 1024);
        await Eventually.TrueAsync(() => server.Hub.StreamCount == 1, "the replay has started");
        await Eventually.TrueAsync(() =>
        {
            // Only a flush that waits for the client is armed: jumps while the replay is still being written change nothing.
            time.Advance(TimeSpan.FromSeconds(31));
            return server.Hub.StreamCount == 0;
        }, "the stalled replay is cut off");

        Assert.Equal(1, stalledCount.Value);
    }
}
