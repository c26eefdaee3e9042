using System.Text;
using BlazorIot.Server.Live;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Tests.Live;

public sealed class SensorHubTests
{
    [Fact]
    public void Keeps_only_the_newest_readings_of_each_sensor_in_its_window()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time, windowSize: 10);

        for (var i = 1; i <= 11; i++)
        {
            hub.Publish("luminosity", i, time.GetUtcNow());
        }
        hub.Publish("temperature", 21.5, time.GetUtcNow());

        Assert.Equal(Enumerable.Range(2, 10).Select(i => (double)i), hub.GetWindow("luminosity").Select(r => r.Value));
        Assert.Equal([21.5], hub.GetWindow("temperature").Select(r => r.Value));
        Assert.Empty(hub.GetWindow("unknown"));
        Assert.Equal(["luminosity", "temperature"], hub.Sensors.Order());
    }

    [Fact]
    public void Refuses_a_reading_that_is_not_after_the_last_one_published()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        hub.Publish(new Reading(5, "s", 1, time.GetUtcNow()));

        Assert.Throws<ArgumentException>(() => hub.Publish(new Reading(5, "s", 2, time.GetUtcNow())));
        Assert.Throws<ArgumentException>(() => hub.Publish(new Reading(3, "s", 2, time.GetUtcNow())));
        Assert.Equal([1.0], hub.GetWindow("s").Select(r => r.Value));
    }

    [Fact]
    public void Restores_windows_and_the_sequence_without_publishing()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time, windowSize: 10);
        var received = 0;
        using var subscription = hub.Subscribe("a", _ => received++);

        hub.Restore([new Reading(3, "a", 1, time.GetUtcNow()), new Reading(7, "b", 2, time.GetUtcNow())], lastStoredSequence: 42);

        Assert.Equal(42, hub.LastSequence);
        Assert.Equal([3L], hub.GetWindow("a").Select(r => r.Sequence));
        Assert.Equal(0, received);
        Assert.Equal(43, hub.Publish("a", 5, time.GetUtcNow()).Sequence);
    }

    [Fact]
    public async Task A_reading_stream_starts_atomically_after_the_last_published_id_and_closes_when_its_queue_overflows()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        hub.Publish("a", 1, time.GetUtcNow());
        hub.Publish("b", 2, time.GetUtcNow());

        var start = hub.SubscribeReadings(new HashSet<string> { "a" }, TimeSpan.FromSeconds(15), capacity: 16);
        using var subscriber = start.Subscriber;
        Assert.Equal(2, start.LiveAfter);
        Assert.Equal([1L], start.Windows.Select(r => r.Sequence));

        hub.Publish("b", 3, time.GetUtcNow());
        hub.Publish("a", 4, time.GetUtcNow());
        var frame = System.Text.Encoding.UTF8.GetString((await subscriber.NextAsync(CancellationToken.None))!);
        Assert.StartsWith("id: 4\nevent: reading\ndata: {\"seq\":4,\"sensor\":\"a\",\"value\":4,", frame);

        for (var i = 0; i < 17; i++)
        {
            hub.Publish("a", i, time.GetUtcNow());
        }
        Assert.Null(await subscriber.NextAsync(CancellationToken.None));
        Assert.True(subscriber.Overflowed);
    }

    [Fact]
    public async Task A_new_snapshot_subscriber_gets_the_current_snapshot_at_once()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        hub.Publish("luminosity", 412, time.GetUtcNow());

        using var subscriber = hub.SubscribeSnapshots("luminosity", TimeSpan.FromSeconds(15));
        var frame = await subscriber.NextAsync(CancellationToken.None);

        Assert.StartsWith("data: {\"labels\":[", Encoding.UTF8.GetString(frame!));
        Assert.Contains("\"data\":[412]}", Encoding.UTF8.GetString(frame!));
    }

    [Fact]
    public async Task A_subscriber_that_does_not_read_keeps_only_the_newest_snapshot_and_never_holds_up_publishing()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        using var stalled = hub.SubscribeSnapshots("luminosity", TimeSpan.FromSeconds(15));
        using var reader = hub.SubscribeSnapshots("luminosity", TimeSpan.FromSeconds(15));

        for (var i = 1; i <= 1_000; i++)
        {
            hub.Publish("luminosity", i, time.GetUtcNow());
        }

        var newest = Encoding.UTF8.GetString((await stalled.NextAsync(CancellationToken.None))!);
        Assert.EndsWith("\"data\":[991,992,993,994,995,996,997,998,999,1000]}\n\n", newest);
        Assert.Equal(999, stalled.Coalesced);
        Assert.Equal(newest, Encoding.UTF8.GetString((await reader.NextAsync(CancellationToken.None))!));
    }

    [Fact]
    public async Task Every_subscriber_gets_the_same_encoded_frame()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        using var first = hub.SubscribeSnapshots("luminosity", TimeSpan.FromSeconds(15));
        using var second = hub.SubscribeSnapshots("luminosity", TimeSpan.FromSeconds(15));

        hub.Publish("luminosity", 7, time.GetUtcNow());

        Assert.Same(await first.NextAsync(CancellationToken.None), await second.NextAsync(CancellationToken.None));
    }

    [Fact]
    public void A_failing_handler_does_not_stop_the_others_or_the_publication()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        var received = new List<Reading>();
        using var failing = hub.Subscribe("luminosity", _ => throw new InvalidOperationException("broken handler"));
        using var working = hub.Subscribe("luminosity", received.Add);

        var reading = hub.Publish("luminosity", 3, time.GetUtcNow());

        Assert.Equal([reading], received);
        Assert.Equal([reading], hub.GetWindow("luminosity"));
    }

    [Fact]
    public void Disposing_subscriptions_removes_them_from_the_hub()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        var received = 0;
        var handler = hub.Subscribe("luminosity", _ => received++);
        var snapshots = hub.SubscribeSnapshots("other", TimeSpan.FromSeconds(15));
        Assert.Equal(2, hub.SubscriberCount);

        handler.Dispose();
        handler.Dispose();
        snapshots.Dispose();
        hub.Publish("luminosity", 1, time.GetUtcNow());

        Assert.Equal(0, hub.SubscriberCount);
        Assert.Equal(0, received);
        // Watching a sensor that never reported leaves nothing behind.
        Assert.Equal(["luminosity"], hub.Sensors);
    }

    [Fact]
    public async Task An_idle_snapshot_stream_gets_a_heartbeat_each_interval_and_a_busy_one_does_not()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        var interval = TimeSpan.FromSeconds(15);
        using var subscriber = hub.SubscribeSnapshots("luminosity", interval);

        var waiting = subscriber.NextAsync(CancellationToken.None).AsTask();
        time.Advance(interval - TimeSpan.FromSeconds(1));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Same(FrameSubscriber.Heartbeat, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));

        // A reading within the interval keeps the stream alive by itself: the next frame is that reading, not a heartbeat.
        time.Advance(TimeSpan.FromSeconds(10));
        hub.Publish("luminosity", 5, time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(5));
        var frame = await subscriber.NextAsync(CancellationToken.None);
        Assert.NotSame(FrameSubscriber.Heartbeat, frame);
    }

    [Fact]
    public async Task Waiting_for_a_frame_honours_cancellation_and_ends_on_disposal()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        var subscriber = hub.SubscribeSnapshots("luminosity", TimeSpan.FromSeconds(15));
        using var cancel = new CancellationTokenSource();

        var cancelled = subscriber.NextAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        var waiting = subscriber.NextAsync(CancellationToken.None).AsTask();
        subscriber.Dispose();
        Assert.Null(await waiting);
        Assert.Equal(0, hub.SubscriberCount);
    }
}
