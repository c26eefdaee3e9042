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
    public async Task Gives_every_reading_a_distinct_increasing_sequence_under_concurrent_publishing()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time, windowSize: 100_000);
        var seen = new List<long>();
        using var subscription = hub.Subscribe("s", r => seen.Add(r.Sequence));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                hub.Publish("s", (worker * 10_000) + i, time.GetUtcNow());
            }
        })));

        var window = hub.GetWindow("s");
        Assert.Equal(16_000, window.Count);
        Assert.Equal(Enumerable.Range(1, 16_000).Select(i => (long)i), window.Select(r => r.Sequence));
        // Handlers see readings in sequence order, whichever thread published them.
        Assert.Equal(window.Select(r => r.Sequence), seen);
    }

    [Fact]
    public async Task A_new_snapshot_subscriber_gets_the_current_snapshot_at_once()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        hub.Publish("luminosity", 412, time.GetUtcNow());

        using var subscriber = hub.SubscribeSnapshots("luminosity", TimeSpan.FromSeconds(15));
        var frame = await subscriber.NextAsync(CancellationToken.None);

        Assert.StartsWith("data: {\"labels\":[", Encoding.UTF8.GetString(frame));
        Assert.Contains("\"data\":[412]}", Encoding.UTF8.GetString(frame));
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

        var newest = Encoding.UTF8.GetString(await stalled.NextAsync(CancellationToken.None));
        Assert.EndsWith("\"data\":[991,992,993,994,995,996,997,998,999,1000]}\n\n", newest);
        Assert.Equal(999, stalled.Coalesced);
        Assert.Equal(newest, Encoding.UTF8.GetString(await reader.NextAsync(CancellationToken.None)));
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
        Assert.Same(SnapshotSubscriber.Heartbeat, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));

        // A reading within the interval keeps the stream alive by itself: the next frame is that reading, not a heartbeat.
        time.Advance(TimeSpan.FromSeconds(10));
        hub.Publish("luminosity", 5, time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(5));
        var frame = await subscriber.NextAsync(CancellationToken.None);
        Assert.NotSame(SnapshotSubscriber.Heartbeat, frame);
    }

    [Fact]
    public async Task Waiting_for_a_frame_honours_cancellation_and_disposal()
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
        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
        Assert.Equal(0, hub.SubscriberCount);
    }
}
