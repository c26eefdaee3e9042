using System.Text;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Tests.Live;

/// <summary>The fan-out engine's bookkeeping: many streams joining and leaving in any order, and frames batched per flush.</summary>
public sealed class FrameFanOutTests
{
    [Fact]
    public async Task Streams_leaving_in_any_order_leave_every_remaining_stream_subscribed_and_the_others_forgotten()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        var streams = Enumerable.Range(0, 500).Select(_ => hub.SubscribeSnapshots("luminosity", TimeSpan.FromMinutes(1))).ToArray();
        var leaving = streams.Where((_, i) => i % 3 != 0).OrderBy(_ => Random.Shared.Next()).ToArray();
        foreach (var stream in leaving)
        {
            stream.Dispose();
        }
        var staying = streams.Except(leaving).ToArray();
        Assert.Equal(staying.Length, hub.StreamCount);

        hub.Publish("luminosity", 7, time.GetUtcNow());

        foreach (var stream in staying)
        {
            var frame = Encoding.UTF8.GetString((await stream.NextAsync(CancellationToken.None))!);
            Assert.Contains("\"data\":[7]", frame, StringComparison.Ordinal);
        }
        foreach (var stream in staying)
        {
            stream.Dispose();
        }
        Assert.Equal(0, hub.SubscriberCount);
    }

    [Fact]
    public async Task A_writer_takes_every_frame_that_queued_during_its_last_flush_in_one_go_in_order()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        var start = hub.SubscribeReadings(null, TimeSpan.FromMinutes(1), capacity: 64);
        using var subscriber = start.Subscriber;
        for (var i = 1; i <= 5; i++)
        {
            hub.Publish("a", i, time.GetUtcNow());
        }

        Assert.True(await subscriber.WaitAsync(CancellationToken.None));
        using (var batch = subscriber.TakeBatch())
        {
            var text = Encoding.UTF8.GetString(batch.Memory.Span);
            Assert.Equal(["id: 1", "id: 2", "id: 3", "id: 4", "id: 5"], text.Split('\n').Where(l => l.StartsWith("id: ", StringComparison.Ordinal)));
        }
        var next = subscriber.WaitAsync(CancellationToken.None);
        Assert.False(next.IsCompleted);
        hub.Publish("a", 6, time.GetUtcNow());
        Assert.True(await next.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_slow_snapshot_writer_gets_only_the_newest_snapshot_however_many_readings_passed()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time, windowSize: 10);
        using var subscriber = hub.SubscribeSnapshots("luminosity", TimeSpan.FromMinutes(1));
        for (var i = 1; i <= 100; i++)
        {
            hub.Publish("luminosity", i, time.GetUtcNow());
        }

        Assert.True(await subscriber.WaitAsync(CancellationToken.None));
        using var batch = subscriber.TakeBatch();

        var text = Encoding.UTF8.GetString(batch.Memory.Span);
        Assert.Single(text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"data\":[91,92,93,94,95,96,97,98,99,100]", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wait_cancelled_by_its_stream_token_throws_and_the_subscriber_can_still_be_disposed()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        var subscriber = hub.SubscribeSnapshots("luminosity", TimeSpan.FromMinutes(1));
        using var stream = new CancellationTokenSource();

        var first = subscriber.WaitAsync(stream.Token);
        Assert.False(first.IsCompleted);
        await stream.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => subscriber.WaitAsync(stream.Token).AsTask());

        subscriber.Dispose();
        Assert.False(await subscriber.WaitAsync(CancellationToken.None));
        Assert.Equal(0, hub.SubscriberCount);
    }

    [Fact]
    public async Task A_commit_of_many_readings_gives_each_snapshot_stream_one_snapshot_and_each_handler_every_reading_in_order()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time, windowSize: 10);
        using var subscriber = hub.SubscribeSnapshots("luminosity", TimeSpan.FromMinutes(1));
        var handled = new List<long>();
        using var handler = hub.Subscribe("luminosity", r => handled.Add(r.Sequence));
        var commit = Enumerable.Range(1, 50).Select(i => new Reading(i, "luminosity", i, time.GetUtcNow())).ToArray();

        hub.Publish(commit);

        Assert.Equal(0, subscriber.Coalesced);
        var frame = Encoding.UTF8.GetString((await subscriber.NextAsync(CancellationToken.None))!);
        Assert.Contains("\"data\":[41,42,43,44,45,46,47,48,49,50]", frame, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), handled);
        Assert.Equal(50, hub.LastSequence);
    }

    [Fact]
    public void A_commit_out_of_sequence_order_publishes_nothing()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);

        Assert.Throws<ArgumentException>(() => hub.Publish([new Reading(1, "a", 1, time.GetUtcNow()), new Reading(1, "a", 2, time.GetUtcNow())]));

        Assert.Empty(hub.GetWindow("a"));
        Assert.Equal(0, hub.LastSequence);
    }
}
