using BlazorIot.Server.Ingest;
using BlazorIot.Shared.Notifications;
using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Notifications.Events;

public sealed class SilenceWatchTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static NotificationEvent Silent(string sensor, DateTimeOffset last, TimeSpan limit) =>
        new(NotificationChange.Silent, sensor, last + limit, null, null, last);

    [Fact]
    public async Task Silent_once_after_three_usual_intervals_and_not_a_tick_before_then_back_on_the_next_reading()
    {
        var sink = new RecordingSink();
        await using var host = await EventsHost.StartAsync(sink);
        var last = await host.SendEveryAsync("s", 5, TimeSpan.FromSeconds(10));

        host.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(sink.Events);
        Assert.False(host.Silence.StateOf("s").Silent);
        host.Time.Advance(Tick);
        await Eventually.TrueAsync(() => sink.Events.Count > 0, "the silence is raised");
        Assert.Equal([Silent("s", last, TimeSpan.FromSeconds(30))], sink.Events);
        Assert.True(host.Silence.StateOf("s").Silent);

        host.Time.Advance(TimeSpan.FromHours(1) - Tick);
        Assert.Single(sink.Events);

        var back = host.Time.GetUtcNow();
        await host.SendAsync(new ReadingInput("s", 42, back));
        Assert.Equal(new NotificationEvent(NotificationChange.Back, "s", back, 42, null, last), sink.Events[^1]);
        Assert.Equal(NotificationEventKind.Back, sink.Events[^1].Kind);
        Assert.Equal(2, sink.Events.Count);
    }

    [Fact]
    public async Task Each_silence_is_raised_once_and_a_sensor_reporting_on_time_never()
    {
        var sink = new RecordingSink();
        await using var host = await EventsHost.StartAsync(sink);
        var quiet = await host.SendEveryAsync("quiet", 3, TimeSpan.FromSeconds(10));
        // "steady" goes on every 10 s; "quiet" stops, comes back, and stops again.
        for (var i = 0; i < 10; i++)
        {
            await host.SendAsync(new ReadingInput("steady", i, host.Time.GetUtcNow()));
            host.Time.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Equal([Silent("quiet", quiet, TimeSpan.FromSeconds(30))], sink.Events);

        var again = await host.SendEveryAsync("quiet", 2, TimeSpan.FromSeconds(10));
        var steady = host.Time.GetUtcNow();
        await host.SendAsync(new ReadingInput("steady", 10, steady));
        host.Time.Advance(TimeSpan.FromMinutes(10));

        await Eventually.TrueAsync(() => sink.Events.Count == 4, "the second silences are raised");
        // The usual interval now mixes the long gap of the first silence with the 10 s ones: its median is still 10 s.
        Assert.Equal(
            [
                Silent("quiet", quiet, TimeSpan.FromSeconds(30)),
                new NotificationEvent(NotificationChange.Back, "quiet", again - TimeSpan.FromSeconds(10), 0, null, quiet),
                Silent("quiet", again, TimeSpan.FromSeconds(30)),
                Silent("steady", steady, TimeSpan.FromSeconds(30)),
            ],
            sink.Events.OrderBy(e => e.Sensor, StringComparer.Ordinal).ThenBy(e => e.At));
    }

    [Fact]
    public async Task A_shorter_limit_of_its_own_applies_and_watches_a_sensor_with_a_single_reading()
    {
        var sink = new RecordingSink();
        await using var host = await EventsHost.StartAsync(sink);
        await host.Silence.SetLimitAsync("minutely", TimeSpan.FromMinutes(2), CancellationToken.None);
        await host.Silence.SetLimitAsync("once", TimeSpan.FromSeconds(10), CancellationToken.None);
        var last = await host.SendEveryAsync("minutely", 3, TimeSpan.FromMinutes(1));
        await host.SendAsync(new ReadingInput("once", 1, last));

        host.Time.Advance(TimeSpan.FromSeconds(10) + Tick);
        await Eventually.TrueAsync(() => sink.Events.Count == 1, "the single reading's sensor is silent");
        host.Time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(10) - Tick);
        Assert.Single(sink.Events);
        host.Time.Advance(Tick);

        // Two minutes of its own, not three usual intervals (three minutes).
        await Eventually.TrueAsync(() => sink.Events.Count == 2, "the sensor is silent after its own two minutes");
        Assert.Equal([Silent("once", last, TimeSpan.FromSeconds(10)), Silent("minutely", last, TimeSpan.FromMinutes(2))], sink.Events);
    }

    [Fact]
    public async Task A_longer_limit_of_its_own_keeps_an_irregular_sensor_from_being_called_silent()
    {
        var sink = new RecordingSink();
        await using var host = await EventsHost.StartAsync(sink);
        await host.Silence.SetLimitAsync("door", TimeSpan.FromMinutes(5), CancellationToken.None);
        var last = await host.SendEveryAsync("door", 4, TimeSpan.FromSeconds(10));

        host.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Empty(sink.Events);
        host.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(31));
        Assert.Empty(sink.Events);
        host.Time.Advance(Tick);

        await Eventually.TrueAsync(() => sink.Events.Count == 1, "the door sensor is silent after five minutes");
        Assert.Equal(Silent("door", last, TimeSpan.FromMinutes(5)), sink.Events[0]);
    }

    [Fact]
    public async Task Setting_the_limit_back_to_automatic_uses_three_usual_intervals_again()
    {
        var sink = new RecordingSink();
        await using var host = await EventsHost.StartAsync(sink);
        await host.Silence.SetLimitAsync("s", TimeSpan.FromHours(1), CancellationToken.None);
        var last = await host.SendEveryAsync("s", 3, TimeSpan.FromSeconds(10));
        host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(sink.Events);

        await host.Silence.SetLimitAsync("s", null, CancellationToken.None);

        await Eventually.TrueAsync(() => sink.Events.Count == 1, "the sensor is silent by the automatic rule");
        Assert.Equal(Silent("s", last, TimeSpan.FromSeconds(30)), sink.Events[0]);
        Assert.Null(host.Silence.LimitOf("s"));
    }

    [Fact]
    public async Task A_deleted_sensor_is_forgotten()
    {
        var sink = new RecordingSink();
        await using var host = await EventsHost.StartAsync(sink);
        await host.Silence.SetLimitAsync("gone", TimeSpan.FromMinutes(1), CancellationToken.None);
        await host.SendEveryAsync("gone", 3, TimeSpan.FromSeconds(10));

        Assert.True(await host.Sensors.DeleteAsync("gone", CancellationToken.None));
        host.Time.Advance(TimeSpan.FromHours(1));

        Assert.Empty(sink.Events);
        Assert.Equal((null, false), host.Silence.StateOf("gone"));
        Assert.Null(host.Silence.LimitOf("gone"));
        Assert.Null(await host.Store.GetSilenceLimitAsync("gone", CancellationToken.None));
    }

    [Fact]
    public async Task A_renamed_sensor_is_followed_under_its_new_id_with_its_limit()
    {
        var sink = new RecordingSink();
        await using var host = await EventsHost.StartAsync(sink);
        await host.Silence.SetLimitAsync("tmep", TimeSpan.FromMinutes(1), CancellationToken.None);
        var last = await host.SendEveryAsync("tmep", 3, TimeSpan.FromSeconds(10));

        await host.Sensors.RenameAsync("tmep", "temp", merge: false, CancellationToken.None);
        host.Time.Advance(TimeSpan.FromMinutes(1) + Tick);

        await Eventually.TrueAsync(() => sink.Events.Count == 1, "the renamed sensor is silent");
        Assert.Equal([Silent("temp", last, TimeSpan.FromMinutes(1))], sink.Events);
        Assert.Equal(TimeSpan.FromMinutes(1), host.Silence.LimitOf("temp"));
        Assert.Null(host.Silence.LimitOf("tmep"));
        Assert.Equal(TimeSpan.FromMinutes(1), await host.Store.GetSilenceLimitAsync("temp", CancellationToken.None));
    }

    [Fact]
    public async Task A_sensor_that_falls_silent_while_the_server_is_down_is_reported_once_it_is_due()
    {
        var path = LiveServer.NewDatabasePath();
        try
        {
            var time = EventsHost.Clock();
            DateTimeOffset last;
            await using (var host = await EventsHost.StartAsync(new RecordingSink(), path, time))
            {
                last = await host.SendEveryAsync("s", 5, TimeSpan.FromSeconds(10));
            }
            time.Advance(TimeSpan.FromSeconds(20));

            var sink = new RecordingSink();
            await using (var host = await EventsHost.StartAsync(sink, path, time))
            {
                Assert.Empty(sink.Events);
                Assert.Equal(TimeSpan.FromSeconds(10), host.Silence.StateOf("s").UsualInterval);
                time.Advance(TimeSpan.FromSeconds(10));
                Assert.Empty(sink.Events);
                time.Advance(Tick);
                await Eventually.TrueAsync(() => sink.Events.Count == 1, "the silence is raised after the restart");
                time.Advance(TimeSpan.FromHours(1));
            }
            Assert.Equal([Silent("s", last, TimeSpan.FromSeconds(30))], sink.Events);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task A_sensor_silent_at_start_is_reported_at_start_with_the_same_event_as_before_the_restart()
    {
        var path = LiveServer.NewDatabasePath();
        try
        {
            var time = EventsHost.Clock();
            var before = new RecordingSink();
            await using (var host = await EventsHost.StartAsync(before, path, time))
            {
                await host.SendEveryAsync("s", 5, TimeSpan.FromSeconds(10));
                time.Advance(TimeSpan.FromMinutes(1));
                await Eventually.TrueAsync(() => before.Events.Count == 1, "the silence is raised before the restart");
            }
            time.Advance(TimeSpan.FromHours(2));

            var after = new RecordingSink();
            await using (var host = await EventsHost.StartAsync(after, path, time))
            {
                await Eventually.TrueAsync(() => after.Events.Count == 1, "the silence is raised at start");
                time.Advance(TimeSpan.FromHours(1));
            }

            // The same readings date it the same: a sink can tell it has it already.
            Assert.Equal(before.Events, after.Events);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task A_sensor_silent_for_longer_than_a_day_before_the_start_is_not_reported_again_but_its_return_is()
    {
        var path = LiveServer.NewDatabasePath();
        try
        {
            var time = EventsHost.Clock();
            await using (var host = await EventsHost.StartAsync(new RecordingSink(), path, time))
            {
                await host.SendEveryAsync("dead", 5, TimeSpan.FromSeconds(10));
                await host.SendEveryAsync("alive", 5, TimeSpan.FromSeconds(10));
            }
            time.Advance(TimeSpan.FromDays(2));

            var after = new RecordingSink();
            await using (var host = await EventsHost.StartAsync(after, path, time))
            {
                // A reading of another sensor after the start: what the start raised is ahead of its own events.
                await host.SendEveryAsync("alive", 1, TimeSpan.FromSeconds(10));
                await host.SendEveryAsync("dead", 1, TimeSpan.FromSeconds(10));
                await Eventually.TrueAsync(() => after.Events.Any(e => e.Sensor == "dead"), "the dead sensor's return is raised");
            }

            Assert.DoesNotContain(after.Events, e => e.Change == NotificationChange.Silent);
            Assert.Contains(after.Events, e => e.Sensor == "dead" && e.Change == NotificationChange.Back);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
