using BlazorIot.Server.Dashboard;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using BlazorIot.Tests.Live;

namespace BlazorIot.Tests.Dashboard;

public sealed class ReadingBatcherTests
{
    [Fact]
    public async Task Delivers_at_once_when_idle_then_at_most_once_per_interval_keeping_only_the_newest()
    {
        var time = HubFactory.Clock();
        var batches = new System.Collections.Concurrent.ConcurrentQueue<IReadOnlyList<Reading>>();
        using var batcher = new ReadingBatcher(time, TimeSpan.FromMilliseconds(100), capacity: 3, work => work(), batch =>
        {
            batches.Enqueue(batch);
            return Task.CompletedTask;
        });

        batcher.Add(Reading(1));
        await Eventually.TrueAsync(() => batches.Count == 1, "the first reading is delivered without waiting for the interval");

        for (var i = 2; i <= 10; i++)
        {
            batcher.Add(Reading(i));
        }
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Single(batches);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(2, batches.Count);
        Assert.Equal([8L, 9, 10], batches.Last().Select(r => r.Sequence));
    }

    [Fact]
    public async Task Delivers_nothing_after_disposal()
    {
        var time = HubFactory.Clock();
        var delivered = 0;
        var batcher = new ReadingBatcher(time, TimeSpan.FromMilliseconds(100), 10, work => work(), _ =>
        {
            Interlocked.Increment(ref delivered);
            return Task.CompletedTask;
        });
        batcher.Add(Reading(1));
        await Eventually.TrueAsync(() => Volatile.Read(ref delivered) == 1, "the first reading is delivered");
        batcher.Add(Reading(2));

        batcher.Dispose();
        time.Advance(TimeSpan.FromSeconds(1));
        batcher.Add(Reading(3));

        Assert.Equal(1, delivered);
    }

    private static Reading Reading(long sequence) => new(sequence, "s", sequence, HubFactory.Start);
}
