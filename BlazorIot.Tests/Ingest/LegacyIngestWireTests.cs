using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Ingest;

/// <summary>
/// Raw-socket tests of what the original device sees through Kestrel: its <c>GET /luminosity/{integer}</c>
/// sent as the device sends it, and the bytes Kestrel and the endpoint answer, on the same connection.
/// </summary>
public sealed class LegacyIngestWireTests
{
    [Fact]
    public async Task Writes_on_a_kept_alive_connection_are_stored_and_the_connection_then_serves_other_requests()
    {
        await using var server = LiveServer.Start();
        using var raw = await RawConnection.OpenAsync(server, "GET /luminosity/412 HTTP/1.1\r\nHost: lab\r\n\r\n");
        var first = await raw.ReadMessageAsync();
        await raw.SendAsync("GET /luminosity/-36 HTTP/1.1\r\nHost: lab\r\n\r\n");
        var second = await raw.ReadMessageAsync();
        await raw.SendAsync("GET /api/sensors/luminosity/readings HTTP/1.1\r\nHost: lab\r\n\r\n");
        var readings = await raw.ReadMessageAsync();

        Assert.All([first, second], answer =>
        {
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer.Head);
            Assert.Equal("0", answer.Header("Content-Length"));
            Assert.Equal("nosniff", answer.Header("X-Content-Type-Options"));
            Assert.False(answer.Closes);
            Assert.Equal("", answer.Body);
        });
        Assert.Equal(200, readings.Status);
        Assert.Contains("\"value\":412,", readings.Body);
        Assert.Contains("\"value\":-36,", readings.Body);
    }

    [Fact]
    public async Task The_original_devices_http_1_0_write_is_answered_and_the_connection_closed()
    {
        await using var server = LiveServer.Start();
        using var raw = await RawConnection.OpenAsync(server, "GET /luminosity/7 HTTP/1.0\r\nHost: serveur.iot.com\r\n\r\n");

        var answer = await raw.ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer);
        Assert.Contains("\r\nConnection: close\r\n", answer);
        Assert.Contains("\r\nContent-Length: 0\r\n", answer);
        Assert.EndsWith("\r\n\r\n", answer);
        Assert.Equal(7, server.Hub.GetWindow("luminosity").Single().Value);
    }

    [Fact]
    public async Task When_ingest_needs_keys_the_write_gets_the_endpoints_401()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Ingest:RequireKey"] = "true" });
        using var raw = await RawConnection.OpenAsync(server, "GET /luminosity/7 HTTP/1.1\r\nHost: lab\r\n\r\n");

        var answer = await raw.ReadMessageAsync();

        Assert.StartsWith("HTTP/1.1 401 ", answer.Head);
        Assert.Contains("application/problem+json", answer.Head);
        Assert.Empty(server.Hub.GetWindow("luminosity"));
    }

    [Fact]
    public async Task Device_writes_and_json_posts_draw_on_the_same_rate_limit()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?>
        {
            ["Ingest:RequestsPerSecond"] = "1",
            ["Ingest:Burst"] = "3",
        });
        using var client = server.CreateNetworkClient();
        using var raw = await RawConnection.OpenAsync(server, "");

        for (var attempt = 1; ; attempt++)
        {
            var direct = new List<string>();
            var posted = new List<HttpStatusCode>();
            var clock = Stopwatch.StartNew();
            // Alternating: with a bucket per path each would take three; sharing one, three in all.
            for (var value = 1; value <= 5; value++)
            {
                await raw.SendAsync($"GET /luminosity/{(attempt * 10) + value} HTTP/1.1\r\nHost: lab\r\n\r\n");
                direct.Add(await raw.ReadResponseAsync());
                using var response = await client.PostAsJsonAsync("/api/readings", new { sensor = "luminosity", value = -((attempt * 10) + value) });
                posted.Add(response.StatusCode);
            }
            if (clock.Elapsed >= TimeSpan.FromSeconds(1) && attempt < 3)
            {
                // Too slow to tell (a cold start): a token came back during the run. Rerun, warm,
                // once the bucket is full again.
                await Task.Delay(TimeSpan.FromSeconds(3.5));
                continue;
            }

            // Under a second, less than one token comes back: exactly the burst is stored.
            var stored = direct.Count(head => head.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal)) + posted.Count(status => status == HttpStatusCode.OK);
            Assert.Equal(3, stored);
            Assert.StartsWith("HTTP/1.1 429 ", direct[^1]);
            Assert.Contains("\r\nRetry-After: ", direct[^1]);
            Assert.Equal(HttpStatusCode.TooManyRequests, posted[^1]);
            Assert.Equal(stored, server.Hub.GetWindow("luminosity").Count(reading => Math.Abs(reading.Value) > attempt * 10 && Math.Abs(reading.Value) <= (attempt * 10) + 5));
            return;
        }
    }

    [Fact]
    public async Task A_stopping_server_closes_an_idle_device_connection_at_once()
    {
        var server = LiveServer.Start();
        using var raw = await RawConnection.OpenAsync(server, "GET /luminosity/1 HTTP/1.1\r\nHost: lab\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", await raw.ReadResponseAsync());
        var closed = raw.ReadToEndAsync();

        // A connection that ignored Kestrel's close request would hold the stop for the host's whole 30 s shutdown timeout.
        await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("", await closed);
    }
}
