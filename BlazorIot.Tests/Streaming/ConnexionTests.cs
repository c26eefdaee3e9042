using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using BlazorIot.Shared.Legacy;
using BlazorIot.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Streaming;

public sealed class ConnexionTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 17, 2, 1, TimeSpan.Zero);

    private static FakeTimeProvider ParisClock()
    {
        var time = new FakeTimeProvider(Start);
        time.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
        return time;
    }

    [Fact]
    public async Task A_legacy_reading_reaches_the_stream_as_the_original_json_with_server_local_labels()
    {
        var time = ParisClock();
        await using var server = LiveServer.Start(time);
        using var client = server.CreateNetworkClient();
        await using var stream = await SseProbe.ConnectAsync(client, "/connexion");

        (await client.GetAsync("/luminosity/412")).EnsureSuccessStatusCode();
        time.Advance(TimeSpan.FromSeconds(3));
        (await client.GetAsync("/luminosity/-36")).EnsureSuccessStatusCode();

        Assert.Equal("{\"labels\":[\"18:02:01\"],\"data\":[412]}", await stream.NextAsync());
        Assert.Equal("{\"labels\":[\"18:02:01\",\"18:02:04\"],\"data\":[412,-36]}", await stream.NextAsync());
    }

    [Fact]
    public async Task Sends_the_current_snapshot_on_connect_with_stream_headers_and_a_retry_hint()
    {
        await using var server = LiveServer.Start(ParisClock());
        using var client = server.CreateNetworkClient();
        (await client.GetAsync("/luminosity/7")).EnsureSuccessStatusCode();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/connexion");
        request.Headers.AcceptEncoding.ParseAdd("gzip, br");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var body = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(["no"], response.Headers.GetValues("X-Accel-Buffering"));
        Assert.True(response.Headers.CacheControl?.NoCache);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal("retry: 3000", await body.ReadLineAsync(timeout.Token));
        Assert.Equal("", await body.ReadLineAsync(timeout.Token));
        Assert.Equal("data: {\"labels\":[\"18:02:01\"],\"data\":[7]}", await body.ReadLineAsync(timeout.Token));
        Assert.Equal("", await body.ReadLineAsync(timeout.Token));
    }

    [Fact]
    public async Task An_idle_stream_gets_comment_heartbeats()
    {
        var time = ParisClock();
        await using var server = LiveServer.Start(time, new Dictionary<string, string?> { ["Streaming:HeartbeatInterval"] = "00:00:05" });
        using var client = server.CreateNetworkClient();
        using var response = await client.GetAsync("/connexion", HttpCompletionOption.ResponseHeadersRead);
        using var body = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        Assert.Equal("retry: 3000", await body.ReadLineAsync(timeout.Token));
        Assert.Equal("", await body.ReadLineAsync(timeout.Token));

        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(": heartbeat", await body.ReadLineAsync(timeout.Token));
        Assert.Equal("", await body.ReadLineAsync(timeout.Token));
    }

    [Fact]
    public async Task Keeps_the_ten_newest_of_eleven_readings()
    {
        await using var server = LiveServer.Start(ParisClock());
        using var client = server.CreateNetworkClient();
        for (var i = 1; i <= 11; i++)
        {
            (await client.GetAsync($"/luminosity/{i}")).EnsureSuccessStatusCode();
        }

        await using var stream = await SseProbe.ConnectAsync(client, "/connexion");

        var snapshot = System.Text.Json.JsonSerializer.Deserialize<LegacySnapshot>(await stream.NextAsync());
        Assert.Equal(Enumerable.Range(2, 10).Select(i => (double)i), snapshot!.Data);
        Assert.Equal(10, snapshot.Labels.Count);
    }

    [Fact]
    public async Task Streams_any_sensor_by_query_and_rejects_an_invalid_sensor_id()
    {
        var time = ParisClock();
        await using var server = LiveServer.Start(time);
        using var client = server.CreateNetworkClient();
        (await client.PostAsJsonAsync("/api/readings", new { sensor = "greenhouse.temp", value = 21.5 })).EnsureSuccessStatusCode();

        await using var stream = await SseProbe.ConnectAsync(client, "/connexion?sensor=greenhouse.temp");
        Assert.Equal("{\"labels\":[\"18:02:01\"],\"data\":[21.5]}", await stream.NextAsync());

        using var invalid = await client.GetAsync("/connexion?sensor=Not%20Valid");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(400, (await invalid.Content.ReadFromJsonAsync<ProblemDetails>())?.Status);
    }

    [Fact]
    public async Task A_client_that_stops_reading_slows_neither_ingest_nor_the_other_clients()
    {
        var time = ParisClock();
        await using var server = LiveServer.Start(time);
        using var client = server.CreateNetworkClient();
        (await client.GetAsync("/luminosity/1")).EnsureSuccessStatusCode();
        var baseline = server.Hub.SubscriberCount;
        using var stalled = new TcpClient { ReceiveBufferSize = 1024 };
        await stalled.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        await stalled.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"GET /connexion HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\n\r\n"));
        await using var healthy = await SseProbe.ConnectAsync(client, "/connexion");
        await Eventually.TrueAsync(() => server.Hub.SubscriberCount == baseline + 2, "both clients are subscribed");

        // Far more than the stalled socket's buffers hold: its writer blocks while ingest goes on.
        for (var batch = 0; batch < 20; batch++)
        {
            var readings = Enumerable.Range(batch * 1000, 1000).Select(i => new { sensor = "luminosity", value = i });
            (await client.PostAsJsonAsync("/api/readings", readings)).EnsureSuccessStatusCode();
        }
        using var response = await client.GetAsync("/luminosity/424242");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.TrueAsync(() => healthy.Latest?.EndsWith("19999,424242]}", StringComparison.Ordinal) == true, "the reading client has the newest snapshot");
        stalled.Close();
        await Eventually.TrueAsync(() => server.Hub.SubscriberCount == baseline + 1, "the stalled client is removed once it disconnects");
    }

    [Fact]
    public async Task Concurrent_ingest_reaches_every_subscriber_and_leaving_clients_are_removed()
    {
        await using var server = LiveServer.Start(ParisClock());
        using var client = server.CreateNetworkClient();
        var baseline = server.Hub.SubscriberCount;
        var streams = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => SseProbe.ConnectAsync(client, "/connexion")));
        await Eventually.TrueAsync(() => server.Hub.SubscriberCount == baseline + 50, "all 50 streams are subscribed");

        var responses = await Task.WhenAll(Enumerable.Range(1, 200).Select(i => client.GetAsync($"/luminosity/{i}")));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var window = server.Hub.GetWindow("luminosity");
        Assert.Equal(10, window.Count);
        var expected = LegacySnapshot.From(window, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).ToJson();
        await Eventually.TrueAsync(() => streams.All(s => s.Latest == expected), "every subscriber's last snapshot equals the hub's window");

        foreach (var stream in streams)
        {
            await stream.DisposeAsync();
        }
        await Eventually.TrueAsync(() => server.Hub.SubscriberCount == baseline, "the server has removed every subscriber that left");
    }
}
