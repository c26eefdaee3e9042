using System.Net.Http.Json;
using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Security;

// Metrics listeners see every meter of the process: run alone, so other test servers' counts do not mix in.
[Collection(IsolatedCollection.Name)]
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_count_ingest_rejections_by_reason_open_streams_and_commit_latency()
    {
        await using var server = LiveServer.Start();
        using var client = server.CreateNetworkClient();
        (await client.PostAsJsonAsync("/api/readings", new[] { new { sensor = "m", value = 1 }, new { sensor = "m", value = 2 } })).EnsureSuccessStatusCode();
        await client.GetAsync("/luminosity/abc");
        await client.PostAsync("/api/readings", new ByteArrayContent("x"u8.ToArray()));
        await using var stream = await SseProbe.ConnectAsync(client, "/connexion");
        await Eventually.TrueAsync(() => server.Hub.StreamCount == 1, "the stream is open");

        var metrics = await client.GetStringAsync("/metrics");

        Assert.Matches(@"blazoriot_readings_ingested(_total)?\{[^}]*\} 2\b", metrics);
        Assert.Matches(@"blazoriot_ingest_rejected(_total)?\{[^}]*reason=""invalid""[^}]*\} 1\b", metrics);
        Assert.Matches(@"blazoriot_ingest_rejected(_total)?\{[^}]*reason=""unsupported_media_type""[^}]*\} 1\b", metrics);
        Assert.Matches(@"blazoriot_sse_subscribers\{[^}]*\} 1\b", metrics);
        Assert.Contains("blazoriot_commit_duration_milliseconds_bucket", metrics);
        Assert.Contains("blazoriot_circuits", metrics);
    }
}
