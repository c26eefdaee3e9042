using System.Net.Http.Json;
using BlazorIot.Server.Live;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Security;

// Metrics listeners see every meter of the process: run alone, so other test servers' counts do not mix in.
[Collection(IsolatedCollection.Name)]
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_count_ingest_rejections_by_reason_open_streams_commit_latency_and_quiet_collections()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?>
        {
            ["Live:QuietCollection:QuietAfter"] = "00:00:00.050",
            ["Live:QuietCollection:MinimumAllocatedMegabytes"] = "1",
        });
        using var client = server.CreateNetworkClient();
        (await client.PostAsJsonAsync("/api/readings", new[] { new { sensor = "m", value = 1 }, new { sensor = "m", value = 2 } })).EnsureSuccessStatusCode();
        await client.GetAsync("/luminosity/abc");
        await client.PostAsync("/api/readings", new ByteArrayContent("x"u8.ToArray()));
        await using var stream = await SseProbe.ConnectAsync(client, "/connexion");
        await Eventually.TrueAsync(() => server.Hub.StreamCount == 1, "the stream is open");

        GC.KeepAlive(new byte[2 << 20]);
        var collector = server.Services.GetRequiredService<QuietCollector>();
        await Eventually.TrueAsync(() => collector.Collections >= 1, "a collection ran in the quiet gap after the readings");

        var metrics = await client.GetStringAsync("/metrics");

        Assert.Matches(@"blazoriot_readings_ingested(_total)?\{[^}]*\} 2\b", metrics);
        Assert.Matches(@"blazoriot_ingest_rejected(_total)?\{[^}]*reason=""invalid""[^}]*\} 1\b", metrics);
        Assert.Matches(@"blazoriot_ingest_rejected(_total)?\{[^}]*reason=""unsupported_media_type""[^}]*\} 1\b", metrics);
        Assert.Matches(@"blazoriot_sse_subscribers\{[^}]*\} 1\b", metrics);
        Assert.Contains("blazoriot_commit_duration_milliseconds_bucket", metrics);
        Assert.Contains("blazoriot_circuits", metrics);
        Assert.Matches(@"blazoriot_gc_quiet_collections(_total)?\{[^}]*\} [1-9]", metrics);
    }
}
