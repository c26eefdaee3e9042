using System.Net.Http.Json;
using BlazorIot.Server.Notifications;
using BlazorIot.Shared.Notifications;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static BlazorIot.Tests.Notifications.NotificationTesting;

namespace BlazorIot.Tests.Notifications;

/// <summary>
/// From a device's reading to a receiver's request, through the whole server: the threshold monitor
/// and the silence watch raise events, the router groups them, the outbox sends them.
/// </summary>
public sealed class EventDeliveryTests : IAsyncLifetime
{
    private TestReceiver receiver = default!;

    public async Task InitializeAsync() => receiver = await TestReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task A_reading_over_the_threshold_and_one_back_inside_reach_the_webhook_once_each()
    {
        var time = Clock();
        await using var server = LiveServer.Start(time);
        using var client = server.CreateNetworkClient();
        // Threshold events only: the boiler's readings stop here, and its silence is another channel's business.
        var channel = (await server.Services.GetRequiredService<NotificationChannels>().CreateAsync(
            new ChannelInput("boiler room", ChannelKind.Webhook, receiver.Url.ToString(), "a secret for the hook", ["boiler"], [NotificationEventKind.Threshold], null),
            CancellationToken.None)).Channel!;
        (await client.PutAsJsonAsync("/api/sensors/boiler/thresholds", new { low = (double?)null, high = 80.0, hysteresis = 2.0 })).EnsureSuccessStatusCode();

        // Over, wobbling within the hysteresis (no clearing), then back inside.
        await PostAsync(client, ("boiler", 70, -50), ("boiler", 81.5, -40), ("boiler", 79, -30), ("boiler", 82, -20));

        await Eventually.TrueAsync(() => receiver.Requests.Count >= 1, "the crossing is sent at once");
        var crossed = Assert.Single(Body(receiver.Requests[0]).GetProperty("events").EnumerateArray());
        Assert.Equal("above-high", crossed.GetProperty("change").GetString());
        Assert.Equal(81.5, crossed.GetProperty("value").GetDouble());
        Assert.Equal(80, crossed.GetProperty("threshold").GetDouble());

        // The clearing waits for the channel's minute, then goes alone: the wobble raised nothing.
        await WaitForAsync(server, channel.Id, DeliveryStatus.Delivered, 1);
        await PostAsync(client, ("boiler", 77.5, -10));
        time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(() => receiver.Requests.Count == 2, "the clearing is sent once the minute is over");
        var cleared = Assert.Single(Body(receiver.Requests[1]).GetProperty("events").EnumerateArray());
        Assert.Equal("cleared", cleared.GetProperty("change").GetString());
        Assert.Equal(77.5, cleared.GetProperty("value").GetDouble());

        time.Advance(TimeSpan.FromMinutes(5));
        await WaitForAsync(server, channel.Id, DeliveryStatus.Delivered, 1);
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task A_sensor_that_stops_reporting_is_told_silent_and_then_back()
    {
        var time = Clock();
        await using var server = LiveServer.Start(time);
        using var client = server.CreateNetworkClient();
        await WebhookAsync(server, receiver.Url);

        // Every 10 s: silent once more than 30 s pass without a reading.
        await PostAsync(client, ("shed", 5, -40), ("shed", 5.5, -30), ("shed", 6, -20), ("shed", 6.5, -10), ("shed", 7, 0));
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(receiver.Requests);
        time.Advance(TimeSpan.FromSeconds(1));

        await Eventually.TrueAsync(() => receiver.Requests.Count == 1, "the silence is sent");
        var silent = Assert.Single(Body(receiver.Requests[0]).GetProperty("events").EnumerateArray());
        Assert.Equal("silent", silent.GetProperty("change").GetString());
        Assert.Equal("shed", silent.GetProperty("sensor").GetString());
        Assert.Equal(Start, silent.GetProperty("lastReading").GetDateTimeOffset());

        time.Advance(TimeSpan.FromMinutes(2));
        await PostAsync(client, ("shed", 8, 150));
        await Eventually.TrueAsync(() => receiver.Requests.Count == 2, "the sensor's return is sent");
        var back = Assert.Single(Body(receiver.Requests[1]).GetProperty("events").EnumerateArray());
        Assert.Equal("back", back.GetProperty("change").GetString());
        Assert.Equal(8, back.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Readings_a_device_kept_while_offline_are_not_a_silence_until_the_limit_passes_after_they_came()
    {
        var time = Clock();
        await using var server = LiveServer.Start(time);
        using var client = server.CreateNetworkClient();
        await WebhookAsync(server, receiver.Url);

        // Five minutes old, every 10 s, all arriving now: by their own times the limit (30 s) is long past.
        await PostAsync(client, ("cellar", 1, -300), ("cellar", 2, -290), ("cellar", 3, -280), ("cellar", 4, -270), ("cellar", 5, -260));
        time.Advance(TimeSpan.FromSeconds(30));
        // An event raised after the readings goes through the same router: a silence raised before it would come first.
        Sink(server).Raise(Event("marker"));
        await Eventually.TrueAsync(() => receiver.Requests.Count == 1, "the marker is sent");
        Assert.Equal(["marker"], SensorsIn(receiver.Requests[0]));

        time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(() => receiver.Requests.Count == 2, "the silence is sent once 30 s pass after the readings came");
        var silent = Assert.Single(Body(receiver.Requests[1]).GetProperty("events").EnumerateArray());
        Assert.Equal("silent", silent.GetProperty("change").GetString());
        // Dated by the readings, as every instance would date it.
        Assert.Equal(Start.AddSeconds(-230), silent.GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_sensor_that_reports_monthly_is_watched_on_the_real_clock()
    {
        // Three usual intervals of 40 days: due months ahead, further than a system timer can wait at once.
        await using var server = LiveServer.Start();
        using var client = server.CreateNetworkClient();
        var now = DateTimeOffset.UtcNow;
        var readings = new[] { -80, -40, 0 }.Select(days => new { sensor = "rain.gauge", value = 12.5, timestamp = now.AddDays(days) })
            // A sensor due in a few seconds: its check, run by the timer, then sets the timer for the monthly one.
            .Concat(new[] { -2, -1, 0 }.Select(seconds => new { sensor = "fast", value = 1.0, timestamp = now.AddSeconds(seconds) }));

        await WebhookAsync(server, receiver.Url, sensors: ["fast"]);

        (await client.PostAsJsonAsync("/api/readings", readings)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => receiver.Requests.Count == 1, "the fast sensor's silence is sent");
        Assert.Equal(["fast"], SensorsIn(receiver.Requests[0]));

        await Eventually.TrueAsync(async () =>
        {
            var silence = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/sensors/rain.gauge/silence");
            return silence.GetProperty("usualInterval").ValueKind == System.Text.Json.JsonValueKind.Number
                && silence.GetProperty("usualInterval").GetDouble() >= TimeSpan.FromDays(40).TotalSeconds - 1
                && !silence.GetProperty("silent").GetBoolean();
        }, "the monthly sensor is watched and not silent");
        (await client.PostAsJsonAsync("/api/readings", new { sensor = "rain.gauge", value = 3.0 })).EnsureSuccessStatusCode();
    }

    private static async Task PostAsync(HttpClient client, params (string Sensor, double Value, int Seconds)[] readings)
    {
        var body = readings.Select(r => new { sensor = r.Sensor, value = r.Value, timestamp = Start.AddSeconds(r.Seconds) });
        (await client.PostAsJsonAsync("/api/readings", body)).EnsureSuccessStatusCode();
    }
}
