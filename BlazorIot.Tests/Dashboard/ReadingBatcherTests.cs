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
    public async Task Holds_readings_while_the_browser_has_not_taken_the_last_batch_then_sends_them_together()
    {
        var time = HubFactory.Clock();
        var batches = new System.Collections.Concurrent.ConcurrentQueue<IReadOnlyList<Reading>>();
        var browser = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var batcher = new ReadingBatcher(time, TimeSpan.FromMilliseconds(100), capacity: 10, work => work(), batch =>
        {
            batches.Enqueue(batch);
            return batches.Count == 1 ? browser.Task : Task.CompletedTask;
        });
        batcher.Add(Reading(1));
        await Eventually.TrueAsync(() => batches.Count == 1, "the first reading is delivered at once");

        batcher.Add(Reading(2));
        batcher.Add(Reading(3));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(batches);

        browser.SetResult();
        await Eventually.TrueAsync(() => batches.Count == 2, "what came meanwhile goes once the browser has taken the first batch");
        Assert.Equal([2L, 3], batches.Last().Select(r => r.Sequence));
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
