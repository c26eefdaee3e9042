using BlazorIot.Server.Ingest;
using BlazorIot.Shared.Notifications;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Notifications.Events;

public sealed class ThresholdEventTests
{
    private static readonly Thresholds Limits = new(Low: 10, High: 30, Hysteresis: 2);

    private static ReadingInput[] Values(string sensor, DateTimeOffset start, params double[] values) =>
        [.. values.Select((value, i) => new ReadingInput(sensor, value, start.AddSeconds(i)))];

    [Fact]
    public async Task A_value_wobbling_around_the_high_limit_raises_one_crossing_and_one_clearing()
    {
        var sink = new RecordingSink();
        await using var host = await EventsHost.StartAsync(sink);
        await host.Alerts.SetThresholdsAsync("temp", Limits, CancellationToken.None);
        var start = EventsHost.Start;

        await host.SendAsync(Values("temp", start, 25, 31, 29.5, 30.5, 33, 29, 28.5, 27, 26, 29.9));

        Assert.Equal(
            [
                new NotificationEvent(NotificationChange.AboveHigh, "temp", start.AddSeconds(1), 31, 30, null),
                new NotificationEvent(NotificationChange.Cleared, "temp", start.AddSeconds(7), 27, 30, null),
            ],
            sink.Events);
    }

    [Fact]
    public async Task Low_and_high_crossings_of_several_sensors_each_come_once_with_their_own_limit()
    {
        var sink = new RecordingSink();
        await using var host = await EventsHost.StartAsync(sink);
        await host.Alerts.SetThresholdsAsync("cellar", Limits, CancellationToken.None);
        await host.Alerts.SetThresholdsAsync("attic", new Thresholds(null, 40, 0), CancellationToken.None);
        var start = EventsHost.Start;

        // Interleaved in one batch, as a gateway sends them.
        await host.SendAsync(
            new("cellar", 12, start), new("attic", 35, start),
            new("cellar", 9, start.AddSeconds(1)), new("attic", 41, start.AddSeconds(1)),
            new("cellar", 11.9, start.AddSeconds(2)), new("attic", 40.5, start.AddSeconds(2)),
            new("cellar", 12.5, start.AddSeconds(3)), new("attic", 39, start.AddSeconds(3)),
            new("cellar", 35, start.AddSeconds(4)));

        Assert.Equal(
            [
                new NotificationEvent(NotificationChange.BelowLow, "cellar", start.AddSeconds(1), 9, 10, null),
                new NotificationEvent(NotificationChange.AboveHigh, "attic", start.AddSeconds(1), 41, 40, null),
                new NotificationEvent(NotificationChange.Cleared, "cellar", start.AddSeconds(3), 12.5, 10, null),
                new NotificationEvent(NotificationChange.Cleared, "attic", start.AddSeconds(3), 39, 40, null),
                new NotificationEvent(NotificationChange.AboveHigh, "cellar", start.AddSeconds(4), 35, 30, null),
            ],
            sink.Events);
        Assert.All(sink.Events, e => Assert.Equal(NotificationEventKind.Threshold, e.Kind));
    }

    [Fact]
    public async Task A_jump_from_above_high_to_below_low_clears_the_one_and_crosses_the_other()
    {
        var sink = new RecordingSink();
        await using var host = await EventsHost.StartAsync(sink);
        await host.Alerts.SetThresholdsAsync("s", Limits, CancellationToken.None);
        var start = EventsHost.Start;

        await host.SendAsync(Values("s", start, 31, 5));

        Assert.Equal(
            [NotificationChange.AboveHigh, NotificationChange.Cleared, NotificationChange.BelowLow],
            sink.Events.Select(e => e.Change));
        Assert.Equal([30.0, 30, 10], sink.Events.Select(e => e.Threshold!.Value));
    }

    [Fact]
    public async Task An_alert_open_across_a_restart_is_not_raised_again_and_its_end_is()
    {
        var path = LiveServer.NewDatabasePath();
        try
        {
            var first = new RecordingSink();
            var time = EventsHost.Clock();
            await using (var host = await EventsHost.StartAsync(first, path, time))
            {
                await host.Alerts.SetThresholdsAsync("s", Limits, CancellationToken.None);
                await host.SendAsync(Values("s", EventsHost.Start, 31));
                await host.Alerts.LoggedAsync(CancellationToken.None);
            }
            Assert.Single(first.Events);

            var second = new RecordingSink();
            await using (var host = await EventsHost.StartAsync(second, path, time))
            {
                await host.SendAsync(Values("s", EventsHost.Start.AddSeconds(1), 35, 20));
            }

            Assert.Equal(
                [new NotificationEvent(NotificationChange.Cleared, "s", EventsHost.Start.AddSeconds(2), 20, 30, null)],
                second.Events);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task Changing_thresholds_renaming_and_deleting_raise_nothing_by_themselves()
    {
        var sink = new RecordingSink();
        await using var host = await EventsHost.StartAsync(sink);
        await host.Alerts.SetThresholdsAsync("s", Limits, CancellationToken.None);
        await host.SendAsync(Values("s", EventsHost.Start, 31));
        Assert.Single(sink.Events);

        await host.Alerts.SetThresholdsAsync("s", new Thresholds(10, 50, 2), CancellationToken.None);
        await host.Sensors.RenameAsync("s", "t", merge: false, CancellationToken.None);
        Assert.Single(sink.Events);

        // Judged by the thresholds it has now: 35 is inside 50 by the hysteresis.
        await host.SendAsync(Values("t", EventsHost.Start.AddSeconds(1), 35));
        Assert.Equal(new NotificationEvent(NotificationChange.Cleared, "t", EventsHost.Start.AddSeconds(1), 35, 50, null), sink.Events[^1]);

        await host.SendAsync(Values("t", EventsHost.Start.AddSeconds(2), 60));
        Assert.Equal(3, sink.Events.Count);
        await host.Sensors.DeleteAsync("t", CancellationToken.None);
        Assert.Equal(3, sink.Events.Count);
    }

    [Fact]
    public async Task Removing_the_thresholds_under_an_open_alert_ends_it_without_claiming_it_cleared()
    {
        var sink = new RecordingSink();
        await using var host = await EventsHost.StartAsync(sink);
        await host.Alerts.SetThresholdsAsync("s", Limits, CancellationToken.None);
        await host.SendAsync(Values("s", EventsHost.Start, 31));

        await host.Alerts.SetThresholdsAsync("s", Thresholds.None, CancellationToken.None);
        await host.SendAsync(Values("s", EventsHost.Start.AddSeconds(1), 35));

        Assert.Null(host.Alerts.ActiveAlertOf("s"));
        Assert.Equal([NotificationChange.AboveHigh], sink.Events.Select(e => e.Change));
    }
}
