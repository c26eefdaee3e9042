using System.Net;
using System.Net.Http.Json;
using BlazorIot.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace BlazorIot.Tests.Security;

public sealed class LimitTests
{
    [Fact]
    public async Task Ingest_beyond_the_burst_gets_429_with_retry_after_and_other_routes_are_not_limited()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Ingest:RequestsPerSecond"] = "1", ["Ingest:Burst"] = "3" });
        using var client = server.CreateNetworkClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.GetAsync($"/luminosity/{i}")).StatusCode);
        }
        using var limited = await client.PostAsJsonAsync("/api/readings", new { sensor = "a", value = 1 });

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(429, (await limited.Content.ReadFromJsonAsync<ProblemDetails>())?.Status);
        Assert.Equal(3, server.Hub.GetWindow("luminosity").Count);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/sensors")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Streams_beyond_the_cap_get_503_with_retry_after_and_a_freed_place_is_taken_again()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Streaming:MaxSubscribers"] = "2" });
        using var client = server.CreateNetworkClient();
        await using var first = await SseProbe.ConnectAsync(client, "/connexion");
        var second = await SseProbe.ConnectAsync(client, "/api/stream");
        await Eventually.TrueAsync(() => server.Hub.StreamCount == 2, "both streams are open");

        using var refused = await client.GetAsync("/connexion", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        await second.DisposeAsync();
        await Eventually.TrueAsync(() => server.Hub.StreamCount == 1, "the closed stream is gone");
        await using var third = await SseProbe.ConnectAsync(client, "/api/stream");
        Assert.Equal(HttpStatusCode.OK, third.Response.StatusCode);
    }

    [Fact]
    public async Task Health_says_live_and_ready_when_the_store_answers()
    {
        await using var server = LiveServer.Start();
        using var client = server.CreateNetworkClient();

        Assert.Equal("Healthy", await client.GetStringAsync("/health/live"));
        Assert.Equal("Healthy", await client.GetStringAsync("/health/ready"));
    }
}
