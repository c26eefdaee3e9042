using System.Net;
using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Security;

public sealed class HardeningTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/contenu/index.html")]
    [InlineData("/api/sensors")]
    [InlineData("/luminosity/abc")]
    public async Task Every_response_carries_the_security_headers_and_pages_allow_no_inline_script(string path)
    {
        await using var server = LiveServer.Start();
        using var client = server.CreateNetworkClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        if (path is "/" or "/contenu/index.html")
        {
            // No inline script for the policy to have to allow: every script is a file of ours.
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>", html);
        }
    }

    [Fact]
    public async Task Cross_origin_access_exists_only_for_configured_origins()
    {
        await using var open = LiveServer.Start(settings: new Dictionary<string, string?> { ["Cors:Origins:0"] = "http://lab.example" });
        using var client = open.CreateNetworkClient();

        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/api/sensors");
        allowed.Headers.Add("Origin", "http://lab.example");
        using var other = new HttpRequestMessage(HttpMethod.Get, "/api/sensors");
        other.Headers.Add("Origin", "http://evil.example");

        Assert.Equal(["http://lab.example"], (await client.SendAsync(allowed)).Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.False((await client.SendAsync(other)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_forwarded_client_address_counts_for_rate_limits()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?>
        {
            ["ForwardedHeaders:Enabled"] = "true",
            ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
            ["Ingest:RequestsPerSecond"] = "1",
            ["Ingest:Burst"] = "1",
        });
        using var client = server.CreateNetworkClient();

        async Task<HttpStatusCode> IngestFrom(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/luminosity/1");
            request.Headers.Add("X-Forwarded-For", address);
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await IngestFrom("203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await IngestFrom("203.0.113.7"));
        // Another client behind the same proxy has its own bucket.
        Assert.Equal(HttpStatusCode.OK, await IngestFrom("203.0.113.8"));
    }
}
