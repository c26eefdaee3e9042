using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BlazorIot.Server.Security;
using BlazorIot.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;

namespace BlazorIot.Tests.Security;

// The framework's limiter runs on real time: a bucket only gains tokens as time passes, so "the first
// Burst requests pass" holds however slow the machine is, and refusals are awaited by sending until one comes.
public sealed partial class IngestRateLimitTests
{
    private const int AtMost = 50;

    [Fact]
    public async Task A_burst_above_the_limit_gets_429_with_retry_after_problem_details_and_a_metric()
    {
        await using var server = LiveServer.Start(settings: Limits(perSecond: 1, burst: 3));
        using var client = server.CreateNetworkClient();

        var clock = Stopwatch.StartNew();
        var (passed, refused) = await SendUntilRefusedAsync(i => client.GetAsync($"/luminosity/{i}"));
        var elapsed = clock.Elapsed;

        Assert.InRange(passed, 3, 3 + (int)Math.Ceiling(elapsed.TotalSeconds * 1));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        // At 1 request/s the next token may be 1 s plus one refill heartbeat away: the server says 2 s.
        Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal(429, problem?.Status);
        Assert.Equal("Too many ingest requests.", problem?.Title);
        Assert.Equal(passed, server.Hub.GetWindow("luminosity").Count);
        var metrics = await client.GetStringAsync("/metrics");
        var rateLimited = RateLimitedCount().Match(metrics);
        Assert.True(rateLimited.Success, "the rate_limited rejection is counted");
        Assert.True(int.Parse(rateLimited.Groups[1].Value, CultureInfo.InvariantCulture) >= 1);
    }

    [Fact]
    public async Task Each_device_key_has_its_own_bucket_apart_from_its_address()
    {
        var path = LiveServer.NewDatabasePath();
        try
        {
            var first = await AddKeyAsync(path, "first");
            var second = await AddKeyAsync(path, "second");
            await using var server = LiveServer.Start(settings: Limits(perSecond: 1, burst: 3), databasePath: path);
            using var client = server.CreateNetworkClient();

            var (passed, refused) = await SendUntilRefusedAsync(i => PostAsync(client, i, first));
            Assert.True(passed >= 3);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

            // The other key, from the same address, still has its whole burst.
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, i, second)).StatusCode);
            }
            // And the address itself has its own bucket: a keyless request reaches the key check (401), not the limit.
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/luminosity/1")).StatusCode);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task Each_client_address_has_its_own_bucket()
    {
        // Behind a trusted proxy (loopback is trusted by default) the client's address comes from X-Forwarded-For.
        var settings = new Dictionary<string, string?>(Limits(perSecond: 1, burst: 3)) { ["ForwardedHeaders:Enabled"] = "true" };
        await using var server = LiveServer.Start(settings: settings);
        using var client = server.CreateNetworkClient();

        var (passed, refused) = await SendUntilRefusedAsync(i => GetFromAsync(client, "10.0.0.1", i));
        Assert.True(passed >= 3);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetFromAsync(client, "10.0.0.2", i)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/luminosity/{i}")).StatusCode);
        }
    }

    [Fact]
    public async Task Legacy_get_and_json_post_share_one_bucket_per_client()
    {
        await using var server = LiveServer.Start(settings: Limits(perSecond: 1, burst: 6));
        using var client = server.CreateNetworkClient();

        // Half the burst by each route: all of it passes.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/luminosity/{i}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, i, key: null)).StatusCode);
        }
        // With a bucket per route each would have 3 left; shared, both are out (bar a token a second).
        var legacy = new List<HttpStatusCode>();
        var json = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            legacy.Add((await client.GetAsync($"/luminosity/{i}")).StatusCode);
            json.Add((await PostAsync(client, i, key: null)).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, legacy);
        Assert.Contains(HttpStatusCode.TooManyRequests, json);
    }

    [Fact]
    public async Task After_waiting_the_retry_after_requests_pass_again()
    {
        await using var server = LiveServer.Start(settings: Limits(perSecond: 5, burst: 2));
        using var client = server.CreateNetworkClient();

        var (_, refused) = await SendUntilRefusedAsync(i => client.GetAsync($"/luminosity/{i}"));
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);

        await Task.Delay(retryAfter!.Value);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/luminosity/1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, 2, key: null)).StatusCode);
    }

    [Fact]
    public async Task A_device_sending_at_the_sustained_rate_is_never_refused()
    {
        // 12 requests at 10 a second against a burst of 5: only the refill at 10 a second lets them all pass.
        await using var server = LiveServer.Start(settings: Limits(perSecond: 10, burst: 5));
        using var client = server.CreateNetworkClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            var next = Task.Delay(TimeSpan.FromMilliseconds(100));
            statuses.Add((await client.GetAsync($"/luminosity/{i}")).StatusCode);
            await next;
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    private static Dictionary<string, string?> Limits(int perSecond, int burst) => new()
    {
        ["Ingest:RequestsPerSecond"] = perSecond.ToString(CultureInfo.InvariantCulture),
        ["Ingest:Burst"] = burst.ToString(CultureInfo.InvariantCulture),
    };

    // Sends until the first 429 (at most AtMost requests); the requests before it must all have passed.
    private static async Task<(int Passed, HttpResponseMessage Refused)> SendUntilRefusedAsync(Func<int, Task<HttpResponseMessage>> send)
    {
        for (var i = 0; i < AtMost; i++)
        {
            var response = await send(i);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return (i, response);
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
        Assert.Fail($"No request of {AtMost} was refused.");
        return default;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, int value, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/readings") { Content = JsonContent.Create(new { sensor = "luminosity", value }) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> GetFromAsync(HttpClient client, string address, int value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/luminosity/{value}");
        request.Headers.Add("X-Forwarded-For", address);
        return await client.SendAsync(request);
    }

    private static async Task<string> AddKeyAsync(string databasePath, string name)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await KeysCommand.RunAsync(["keys", "add", name, $"--Storage:SqlitePath={databasePath}"], output, error);
        Assert.True(code == 0, error.ToString());
        return output.ToString().Trim();
    }

    [GeneratedRegex(@"blazoriot_ingest_rejected(?:_total)?\{[^}]*reason=""rate_limited""[^}]*\} (\d+)")]
    private static partial Regex RateLimitedCount();
}
