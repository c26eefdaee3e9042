using System.Net;
using System.Net.Http.Json;
using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Ingest;

/// <summary>
/// The original device's <c>GET /luminosity/{integer}</c> is answered below the HTTP layer; whatever
/// it may not answer alone still gets the endpoint's answer, on the same connection.
/// </summary>
public sealed class DirectLegacyIngestTests
{
    [Fact]
    public async Task Writes_on_a_kept_alive_connection_are_stored_and_the_next_other_request_gets_the_http_layer()
    {
        await using var server = LiveServer.Start();
        using var raw = await RawConnection.OpenAsync(server, "GET /luminosity/412 HTTP/1.1\r\nHost: lab\r\n\r\n");
        var first = await raw.ReadHeadAsync();
        await raw.SendAsync("GET /luminosity/-36 HTTP/1.1\r\nHost: lab\r\n\r\n");
        var second = await raw.ReadHeadAsync();
        await raw.SendAsync("GET /api/sensors/luminosity/readings HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n");
        var readings = await raw.ReadToEndAsync();

        Assert.All([first, second], head =>
        {
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", head);
            Assert.Contains("\r\nContent-Length: 0\r\n", head);
            Assert.Contains("\r\nX-Content-Type-Options: nosniff\r\n", head);
            Assert.DoesNotContain("Connection: close", head);
        });
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", readings);
        Assert.Contains("\"value\":412,", readings);
        Assert.Contains("\"value\":-36,", readings);
    }

    [Fact]
    public async Task The_original_devices_http_1_0_write_is_answered_and_the_connection_closed()
    {
        await using var server = LiveServer.Start();
        using var raw = await RawConnection.OpenAsync(server, "GET /luminosity/7 HTTP/1.0\r\nHost: serveur.iot.com\r\n\r\n");

        var answer = await raw.ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer);
        Assert.Contains("\r\nConnection: close\r\n", answer);
        Assert.EndsWith("\r\n\r\n", answer);
        Assert.Equal(7, server.Hub.GetWindow("luminosity").Single().Value);
    }

    [Fact]
    public async Task When_ingest_needs_keys_the_write_gets_the_endpoints_401()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Ingest:RequireKey"] = "true" });
        using var raw = await RawConnection.OpenAsync(server, "GET /luminosity/7 HTTP/1.1\r\nHost: lab\r\n\r\n");

        var head = await raw.ReadHeadAsync();

        Assert.StartsWith("HTTP/1.1 401 ", head);
        Assert.Contains("application/problem+json", head);
    }

    [Fact]
    public async Task Direct_writes_and_json_posts_draw_on_the_same_rate_limit()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?>
        {
            ["Ingest:RequestsPerSecond"] = "1",
            ["Ingest:Burst"] = "3",
        });
        using var client = server.CreateNetworkClient();
        using var raw = await RawConnection.OpenAsync(server, "");
        var direct = new List<string>();
        var posted = new List<HttpStatusCode>();

        // Alternating: with a bucket per path each would take three; sharing one, three in all
        // (four if a token comes back during the run).
        for (var value = 1; value <= 5; value++)
        {
            await raw.SendAsync($"GET /luminosity/{value} HTTP/1.1\r\nHost: lab\r\n\r\n");
            direct.Add(await raw.ReadResponseAsync());
            using var response = await client.PostAsJsonAsync("/api/readings", new { sensor = "luminosity", value = -value });
            posted.Add(response.StatusCode);
        }

        var stored = direct.Count(head => head.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal)) + posted.Count(status => status == HttpStatusCode.OK);
        Assert.InRange(stored, 3, 4);
        Assert.StartsWith("HTTP/1.1 429 ", direct[^1]);
        Assert.Contains("\r\nRetry-After: ", direct[^1]);
        Assert.Equal(HttpStatusCode.TooManyRequests, posted[^1]);
        Assert.Equal(stored, server.Hub.GetWindow("luminosity").Count);
    }

    [Fact]
    public async Task A_stopping_server_closes_an_idle_device_connection_at_once()
    {
        var server = LiveServer.Start();
        using var raw = await RawConnection.OpenAsync(server, "GET /luminosity/1 HTTP/1.1\r\nHost: lab\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", await raw.ReadHeadAsync());
        var closed = raw.ReadToEndAsync();

        // A connection that ignored Kestrel's close request would hold the stop for the host's whole 30 s shutdown timeout.
        await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("", await closed);
    }
}
