using BlazorIot.Server.Live;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Live;

public sealed class QuietCollectorTests
{
    private static readonly TimeSpan QuietAfter = TimeSpan.FromMilliseconds(250);
    private readonly FakeTimeProvider time = HubFactory.Clock();
    private readonly SensorHub hub;

    public QuietCollectorTests() => hub = HubFactory.Create(time);

    [Fact]
    public void One_collection_runs_in_the_quiet_gap_after_a_publication()
    {
        using var collector = Collector(minimumMegabytes: 1);
        using var watch = collector.Watch();

        hub.Publish("lum", 1, time.GetUtcNow());
        Allocate(2);
        time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(TimeSpan.FromMilliseconds(150), collector.Check());
        Assert.Equal(0, collector.Collections);

        time.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Null(collector.Check());
        Assert.Equal(1, collector.Collections);

        // One per gap: the same quiet gap, however long, does not collect again.
        Allocate(2);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(collector.Check());
        Assert.Equal(1, collector.Collections);

        hub.Publish("lum", 2, time.GetUtcNow());
        time.Advance(QuietAfter);
        Assert.Null(collector.Check());
        Assert.Equal(2, collector.Collections);
    }

    [Fact]
    public void Nothing_is_collected_while_readings_keep_coming()
    {
        using var collector = Collector(minimumMegabytes: 1);
        using var watch = collector.Watch();

        for (var i = 0; i < 20; i++)
        {
            hub.Publish("lum", i, time.GetUtcNow());
            Allocate(2);
            time.Advance(TimeSpan.FromMilliseconds(100));
            Assert.Equal(TimeSpan.FromMilliseconds(150), collector.Check());
        }

        Assert.Equal(0, collector.Collections);
    }

    [Fact]
    public void A_gap_after_little_allocation_is_left_to_the_runtime()
    {
        using var collector = Collector(minimumMegabytes: 65_536);
        using var watch = collector.Watch();

        hub.Publish("lum", 1, time.GetUtcNow());
        Allocate(2);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(collector.Check());
        Assert.Equal(0, collector.Collections);
    }

    [Fact]
    public void Nothing_is_pending_before_the_first_publication()
    {
        using var collector = Collector(minimumMegabytes: 1);
        using var watch = collector.Watch();
        Allocate(2);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(collector.Check());
        Assert.Equal(0, collector.Collections);
    }

    [Fact]
    public async Task The_server_collects_in_the_gap_after_an_ingested_reading()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?>
        {
            ["Live:QuietCollection:QuietAfter"] = "00:00:00.050",
            ["Live:QuietCollection:MinimumAllocatedMegabytes"] = "1",
        });
        var collector = server.Services.GetRequiredService<QuietCollector>();
        using var client = server.CreateNetworkClient();

        (await client.GetAsync("/luminosity/512")).EnsureSuccessStatusCode();
        Allocate(2);

        await Eventually.TrueAsync(() => collector.Collections >= 1, "the server has collected after the reading");
    }

    [Fact]
    public async Task A_server_with_quiet_collection_off_runs_none()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?>
        {
            ["Live:QuietCollection:Enabled"] = "false",
        });
        var collector = server.Services.GetRequiredService<QuietCollector>();
        using var client = server.CreateNetworkClient();

        (await client.GetAsync("/luminosity/512")).EnsureSuccessStatusCode();

        Assert.True(collector.ExecuteTask?.IsCompletedSuccessfully, "the service ended at start, watching nothing");
        Assert.Equal(0, collector.Collections);
    }

    private QuietCollector Collector(int minimumMegabytes) =>
        new(hub, Options.Create(new QuietCollectionOptions { QuietAfter = QuietAfter, MinimumAllocatedMegabytes = minimumMegabytes }), time);

    private static void Allocate(int megabytes) => GC.KeepAlive(new byte[megabytes << 20]);
}
