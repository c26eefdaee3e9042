using System.Text;
using BlazorIot.Server.Live;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Tests.Live;

public sealed class SensorChangeTests
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_rename_ends_the_old_ids_streams_with_the_new_id_and_moves_the_window()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        var first = hub.Publish("old", 1, time.GetUtcNow());
        using var snapshots = hub.SubscribeSnapshots("old", Heartbeat);
        using var named = hub.SubscribeReadings(new HashSet<string> { "old" }, Heartbeat, 16).Subscriber;
        using var everything = hub.SubscribeReadings(null, Heartbeat, 16).Subscriber;
        var changes = new List<SensorChange>();
        using var watch = hub.SubscribeChanges(changes.Add);

        var moved = first with { Sensor = "new" };
        hub.Renamed("old", new SensorInfo("new", null, null, 1, 1, moved.Timestamp), [moved]);
        hub.Publish("new", 2, time.GetUtcNow());

        Assert.Contains("\"labels\"", await NextTextAsync(snapshots));
        Assert.Equal("event: renamed\ndata: {\"sensor\":\"old\",\"to\":\"new\"}\n\n", await NextTextAsync(snapshots));
        Assert.Null(await snapshots.NextAsync(CancellationToken.None));
        Assert.Equal("event: renamed\ndata: {\"sensor\":\"old\",\"to\":\"new\"}\n\n", await NextTextAsync(named));
        Assert.Null(await named.NextAsync(CancellationToken.None));
        // A stream of every sensor goes on, and sees the new id's readings.
        Assert.Contains("\"sensor\":\"new\"", await NextTextAsync(everything));
        Assert.Empty(hub.GetWindow("old"));
        Assert.Equal([1.0, 2.0], hub.GetWindow("new").Select(r => r.Value));
        var change = Assert.Single(changes);
        Assert.Equal((SensorChangeKind.Renamed, "old", "new"), (change.Kind, change.Sensor, change.RenamedTo));
    }

    [Fact]
    public async Task A_deletion_ends_the_sensors_streams_and_a_later_reading_starts_it_anew()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        hub.Publish("gone", 1, time.GetUtcNow());
        using var snapshots = hub.SubscribeSnapshots("gone", Heartbeat);
        using var named = hub.SubscribeReadings(new HashSet<string> { "gone", "other" }, Heartbeat, 16).Subscriber;
        var changes = new List<SensorChange>();
        using var watch = hub.SubscribeChanges(changes.Add);

        hub.Deleted("gone");

        Assert.Contains("\"labels\"", await NextTextAsync(snapshots));
        Assert.Equal("event: deleted\ndata: {\"sensor\":\"gone\"}\n\n", await NextTextAsync(snapshots));
        Assert.Null(await snapshots.NextAsync(CancellationToken.None));
        Assert.Equal("event: deleted\ndata: {\"sensor\":\"gone\"}\n\n", await NextTextAsync(named));
        Assert.Null(await named.NextAsync(CancellationToken.None));
        Assert.Empty(hub.GetWindow("gone"));
        Assert.DoesNotContain("gone", hub.Sensors);
        Assert.Equal(SensorChangeKind.Deleted, Assert.Single(changes).Kind);

        hub.Publish("gone", 5, time.GetUtcNow());
        Assert.Equal([5.0], hub.GetWindow("gone").Select(r => r.Value));
    }

    [Fact]
    public void Imported_history_replaces_the_window_without_a_frame_to_any_stream()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        hub.Publish("s", 1, time.GetUtcNow());
        using var stream = hub.SubscribeReadings(null, Heartbeat, 16).Subscriber;
        var changes = new List<SensorChange>();
        using var watch = hub.SubscribeChanges(changes.Add);

        hub.HistoryChanged("s", [new Reading(40, "s", 7, time.GetUtcNow().AddDays(1)), new Reading(41, "s", 8, time.GetUtcNow().AddDays(1))]);

        Assert.Equal([7.0, 8.0], hub.GetWindow("s").Select(r => r.Value));
        Assert.True(stream.TakeBatch().IsEnd, "nothing to write: imported history is not a live reading");
        Assert.Equal((SensorChangeKind.HistoryChanged, "s"), (Assert.Single(changes).Kind, changes[0].Sensor));
    }

    [Fact]
    public void A_description_reaches_every_change_handler_until_it_unsubscribes()
    {
        var hub = HubFactory.Create(HubFactory.Clock());
        var seen = new List<SensorInfo?>();
        var watch = hub.SubscribeChanges(change => seen.Add(change.Info));

        hub.Described(new SensorInfo("s", "Greenhouse", "°C", 0, null, null) { Decimals = 1 });
        watch.Dispose();
        hub.Described(new SensorInfo("s", "Cellar", "°C", 0, null, null));

        Assert.Equal(1, Assert.Single(seen)!.Decimals);
    }

    private static async Task<string> NextTextAsync(FrameSubscriber subscriber)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var frame = await subscriber.NextAsync(timeout.Token);
        Assert.NotNull(frame);
        return Encoding.UTF8.GetString(frame);
    }
}
