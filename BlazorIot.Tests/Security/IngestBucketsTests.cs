using BlazorIot.Server.Ingest;
using BlazorIot.Server.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Security;

public sealed class IngestBucketsTests
{
    [Fact]
    public void A_bucket_refilled_to_full_is_dropped_so_many_addresses_do_not_grow_memory()
    {
        var time = new FakeTimeProvider();
        using var buckets = new IngestBuckets(Options.Create(new IngestOptions { RequestsPerSecond = 5, Burst = 5 }), time);
        for (var address = 0; address < 1000; address++)
        {
            Assert.True(buckets.TryTake($"ip:10.0.{address / 256}.{address % 256}"));
        }
        Assert.Equal(1000, buckets.Count);

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, buckets.Count);
    }

    [Fact]
    public void A_partition_spends_its_burst_then_is_refused_until_the_next_second()
    {
        var time = new FakeTimeProvider();
        using var buckets = new IngestBuckets(Options.Create(new IngestOptions { RequestsPerSecond = 1, Burst = 2 }), time);

        var granted = Enumerable.Range(0, 3).Select(_ => buckets.TryTake("ip:10.0.0.1")).ToArray();
        var other = buckets.TryTake("ip:10.0.0.2");
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal([true, true, false], granted);
        Assert.True(other);
        Assert.True(buckets.TryTake("ip:10.0.0.1"));
        Assert.False(buckets.TryTake("ip:10.0.0.1"));
    }
}
