using System.Globalization;
using System.Text.Json;
using BlazorIot.Firmware.Core;
using BlazorIot.Server.Ingest;

namespace BlazorIot.Tests.Firmware;

public sealed class CoreTests
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    [Fact]
    public void The_schedule_stays_on_its_grid_and_skips_slots_it_was_too_busy_for()
    {
        var schedule = new SampleSchedule(startMs: 0, periodMs: 1000);

        Assert.True(schedule.IsDue(0));
        schedule.Advance(nowMs: 40);
        Assert.Equal(1000, schedule.NextDueMs);
        Assert.Equal(960, schedule.MillisecondsUntilDue(40));
        schedule.Advance(nowMs: 1250);
        Assert.Equal(2000, schedule.NextDueMs);
        schedule.Advance(nowMs: 4600);
        Assert.Equal(5000, schedule.NextDueMs);
        Assert.Equal(2, schedule.Skipped);
    }

    [Fact]
    public void A_full_buffer_drops_the_oldest_first_and_counts_them()
    {
        var buffer = new ReadingBuffer(3);
        for (var i = 1; i <= 5; i++)
        {
            buffer.Add(new BufferedReading(i, i * 10, Now + i));
        }
        var oldest = new BufferedReading[2];

        Assert.Equal(3, buffer.Count);
        Assert.Equal(2, buffer.Dropped);
        Assert.Equal(2, buffer.Peek(oldest));
        Assert.Equal([3L, 4], oldest.Select(r => r.Id));
        buffer.RemoveOldest(2);
        Assert.Equal(1, buffer.Peek(oldest));
        Assert.Equal(5, oldest[0].Id);
    }

    [Fact]
    public void Backoff_doubles_within_jittered_bounds_up_to_its_ceiling_and_resets()
    {
        var backoff = new Backoff(initialMs: 1000, maxMs: 16000, new Random(3));
        long[] ceilings = [1000, 2000, 4000, 8000, 16000, 16000, 16000];

        foreach (var ceiling in ceilings)
        {
            Assert.InRange(backoff.NextDelayMs(), ceiling / 2, ceiling);
        }
        Assert.Equal(7, backoff.Failures);
        var spread = Enumerable.Range(0, 50).Select(_ => backoff.NextDelayMs()).Distinct().Count();
        Assert.True(spread > 10, "delays are jittered, so devices that failed together retry apart");
        backoff.Reset();
        Assert.InRange(backoff.NextDelayMs(), 500, 1000);
    }

    [Fact]
    public void Ids_never_repeat_across_reboots()
    {
        var firstBoot = new ReadingIds(bootUnixSeconds: 1_795_000_000);
        var secondBoot = new ReadingIds(bootUnixSeconds: 1_795_000_060);
        var first = Enumerable.Range(0, 1000).Select(_ => firstBoot.Next()).ToArray();
        var second = Enumerable.Range(0, 1000).Select(_ => secondBoot.Next()).ToArray();

        Assert.Equal(2000, first.Concat(second).Distinct().Count());
        Assert.True(second.Min() > first.Max());
    }

    [Theory]
    [InlineData(412.0, "412")]
    [InlineData(-36.0, "-36")]
    [InlineData(12.5, "12.5")]
    [InlineData(-0.25, "-0.25")]
    [InlineData(0.0000004, "0")]
    [InlineData(3.9999999, "4")]
    [InlineData(1234567.125, "1234567.125")]
    public void Numbers_are_written_the_same_in_every_culture(double value, string expected)
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            Assert.Equal(expected, JsonText.Number(value));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_batch_is_json_the_server_accepts_with_device_timestamps_and_ids()
    {
        BufferedReading[] readings = [new(1_795_000_000_000_000_001, 412, Now - 3000), new(1_795_000_000_000_000_002, -3.5, Now)];

        var json = JsonText.Batch("greenhouse.light", readings, 2);
        using var document = JsonDocument.Parse(json);
        var (parsed, errors) = ReadingPayload.Parse(document.RootElement, DateTimeOffset.UtcNow);

        Assert.Empty(errors);
        Assert.Equal(
            [new ReadingInput("greenhouse.light", 412, DateTimeOffset.FromUnixTimeMilliseconds(Now - 3000), 1_795_000_000_000_000_001),
             new ReadingInput("greenhouse.light", -3.5, DateTimeOffset.FromUnixTimeMilliseconds(Now), 1_795_000_000_000_000_002)],
            parsed);
    }

    [Theory]
    [InlineData(-36.0, "", "http://server:8080/luminosity/-36")]
    [InlineData(-35.6, "", "http://server:8080/luminosity/-36")]
    [InlineData(411.5, "", "http://server:8080/luminosity/412")]
    [InlineData(0.2, "k3y", "http://server:8080/luminosity/0?key=k3y")]
    public void The_legacy_url_is_the_original_devices(double value, string key, string expected)
    {
        Assert.Equal(expected, LegacyUrl.For("http://server:8080", value, key));
    }

    [Theory]
    [InlineData("luminosity", true)]
    [InlineData("greenhouse.temp-2_b", true)]
    [InlineData("Luminosity", false)]
    [InlineData("-a", false)]
    [InlineData("", false)]
    public void Sensor_ids_follow_the_servers_rule(string id, bool valid)
    {
        Assert.Equal(valid, DeviceSettings.IsValidSensorId(id));
        Assert.Equal(valid, BlazorIot.Shared.Readings.SensorId.IsValid(id));
    }

    [Fact]
    public void The_loop_samples_on_schedule_sends_batches_and_keeps_readings_through_failures()
    {
        var clock = new ManualClock(Now);
        var transport = new ScriptedTransport();
        var settings = new DeviceSettings { ServerUrl = "http://server", PeriodMs = 1000, BatchSize = 2, BackoffInitialMs = 1000, BackoffMaxMs = 4000 };
        var device = new DeviceLoop(settings, new CountingSensor(), clock, transport, new RecordingLog(), new Random(1));

        Assert.Equal(1000, device.Step());
        Assert.Equal(("POST", "http://server/api/readings"), (transport.Requests[0].Method, transport.Requests[0].Url));

        transport.DefaultStatus = TransportStatus.NetworkError;
        device.RunFor(clock, 5000);
        Assert.True(device.Buffer.Count >= 4, "readings wait in the buffer while the server is away");
        var failed = device.ConsecutiveFailures;
        Assert.True(failed >= 2);

        transport.DefaultStatus = 200;
        device.RunFor(clock, 5000);
        Assert.Equal(0, device.Buffer.Count);
        Assert.Equal(device.Sampled, device.Sent);
        Assert.Equal(0, device.ConsecutiveFailures);
        Assert.All(transport.Requests, r => Assert.True(JsonDocument.Parse(r.Body!).RootElement.GetArrayLength() <= 2));
    }

    [Fact]
    public void The_loop_drops_what_the_server_refuses_and_legacy_mode_sends_one_get_per_reading()
    {
        var clock = new ManualClock(Now);
        var transport = new ScriptedTransport();
        transport.Statuses.Enqueue(400);
        var settings = new DeviceSettings { ServerUrl = "http://server", PeriodMs = 1000, Mode = DeviceSettings.LegacyMode };
        var device = new DeviceLoop(settings, new CountingSensor(), clock, transport, new RecordingLog(), new Random(1));

        device.RunFor(clock, 2500);

        Assert.Equal(1, device.Rejected);
        Assert.Equal(2, device.Sent);
        Assert.Equal(["http://server/luminosity/1", "http://server/luminosity/2", "http://server/luminosity/3"], transport.Requests.Select(r => r.Url));
        Assert.All(transport.Requests, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public void Settings_that_cannot_run_are_refused()
    {
        Assert.Null(new DeviceSettings().Validate());
        Assert.NotNull(new DeviceSettings { ServerUrl = "192.168.1.10:8080" }.Validate());
        Assert.NotNull(new DeviceSettings { ServerUrl = "http://host/" }.Validate());
        Assert.NotNull(new DeviceSettings { SensorId = "Bad Id" }.Validate());
        Assert.NotNull(new DeviceSettings { BatchSize = 1001 }.Validate());
        Assert.NotNull(new DeviceSettings { Mode = "mqtt" }.Validate());
        Assert.Throws<ArgumentException>(() => new DeviceLoop(new DeviceSettings { PeriodMs = 10 }, new CountingSensor(), new ManualClock(Now), new ScriptedTransport(), new RecordingLog(), new Random()));
    }

    [Fact]
    public void No_reading_is_taken_before_the_clock_is_set_and_the_first_carries_the_set_time()
    {
        var clock = new ManualClock(unixStartMs: 5_000);
        var transport = new ScriptedTransport();
        var log = new RecordingLog();
        var settings = new DeviceSettings { ServerUrl = "http://server", PeriodMs = 1000, BatchSize = 1 };
        var device = new DeviceLoop(settings, new CountingSensor(), clock, transport, log, new Random(1));

        device.RunFor(clock, 30_000);

        Assert.False(device.Started);
        Assert.Equal(0, device.Sampled);
        Assert.Empty(transport.Requests);
        Assert.Single(log.Lines, l => l.Contains("waiting for the clock", StringComparison.Ordinal));

        clock.SetWallClock(Now);
        device.RunFor(clock, 2_500);

        Assert.True(device.Started);
        Assert.Equal(3, device.Sampled);
        var first = JsonDocument.Parse(transport.Requests[0].Body!).RootElement[0];
        Assert.InRange(first.GetProperty("timestamp").GetInt64(), Now, Now + DeviceLoop.ClockPollMs);
        Assert.InRange(first.GetProperty("id").GetInt64() / 1_000_000_000L, Now / 1000, (Now + DeviceLoop.ClockPollMs) / 1000);
    }

    [Fact]
    public void A_failure_streak_resets_the_link_once_and_restarts_the_board_at_twice_the_count()
    {
        var plan = new RecoveryPlan(failuresBeforeReset: 10);
        // The loop sees the same count on every step between two sends.
        int[] streak = [0, 1, 1, 2, 9, 9, 10, 10, 10, 11, 15, 19, 19, 20, 20];

        var actions = streak.Select(plan.Next).ToArray();

        Assert.Equal(6, Array.IndexOf(actions, Recovery.ResetLink));
        Assert.Single(actions, a => a == Recovery.ResetLink);
        Assert.Equal(13, Array.IndexOf(actions, Recovery.Restart));
        Assert.Equal(Recovery.None, plan.Next(0));
        Assert.Equal(Recovery.ResetLink, plan.Next(10));
    }

    [Fact]
    public void The_watchdog_bites_only_when_the_loop_has_not_fed_it_for_longer_than_its_limit()
    {
        var watchdog = new Watchdog(nowMs: 1_000, limitMs: 180_000);

        Assert.False(watchdog.HasStalled(181_000));
        watchdog.Feed(170_000);
        Assert.False(watchdog.HasStalled(300_000));
        Assert.True(watchdog.HasStalled(350_001));
        Assert.Equal(180_001, watchdog.Hunger(350_001));
    }
}
