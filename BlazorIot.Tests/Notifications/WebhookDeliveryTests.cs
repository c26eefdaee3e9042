using System.Globalization;
using System.Text;
using BlazorIot.Server.Notifications;
using BlazorIot.Shared.Notifications;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static BlazorIot.Tests.Notifications.NotificationTesting;

namespace BlazorIot.Tests.Notifications;

/// <summary>Webhook messages as a receiver sees them: their shape and signature, retries, giving up, grouping, and the outbound rules.</summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private TestReceiver receiver = default!;

    public async Task InitializeAsync() => receiver = await TestReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task A_message_carries_its_events_and_a_signature_the_receiver_can_check_with_the_secret()
    {
        var time = Clock();
        await using var server = LiveServer.Start(time);
        var channel = await WebhookAsync(server, receiver.Url, secret: "s3cret-for-the-hook");

        Sink(server).Raise(Event("kitchen"));

        await Eventually.TrueAsync(() => receiver.Requests.Count == 1, "the receiver has the message");
        var request = receiver.Requests[0];
        Assert.Equal("application/json", request.ContentType?.Split(';')[0]);
        var body = Body(request);
        var id = body.GetProperty("id").GetInt64();
        Assert.False(body.GetProperty("test").GetBoolean());
        var sent = body.GetProperty("sent").GetDateTimeOffset();
        Assert.Equal(Start, sent);
        var events = body.GetProperty("events").EnumerateArray().ToList();
        var only = Assert.Single(events);
        Assert.Equal("above-high", only.GetProperty("change").GetString());
        Assert.Equal("threshold", only.GetProperty("event").GetString());
        Assert.Equal("kitchen", only.GetProperty("sensor").GetString());
        Assert.Equal(42.5, only.GetProperty("value").GetDouble());
        Assert.Equal(40, only.GetProperty("threshold").GetDouble());
        Assert.Equal(id.ToString(CultureInfo.InvariantCulture), request.Delivery);
        Assert.Equal(sent.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), request.Headers["X-BlazorIot-Timestamp"]);
        // The receiver's own check: HMAC-SHA256 of the exact body with the secret, in lowercase hex.
        var expected = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret-for-the-hook"), request.Body));
        Assert.Equal(expected, request.Headers["X-BlazorIot-Signature"]);
        Assert.False(WebhookSignature.Verify("another-secret", request.Body, request.Headers["X-BlazorIot-Signature"]));
        var delivered = await WaitForAsync(server, channel.Id, DeliveryStatus.Delivered, 1);
        Assert.Equal(id, delivered.Id);
    }

    [Fact]
    public async Task Without_a_secret_there_is_no_signature_and_a_test_message_says_it_is_a_test()
    {
        await using var server = LiveServer.Start(Clock());
        var channel = await WebhookAsync(server, receiver.Url);

        var outcome = await server.Services.GetRequiredService<NotificationChannels>().TestAsync(channel.Id, CancellationToken.None);

        Assert.Equal(new TestOutcome(true, 200, "thanks", null), outcome);
        var request = Assert.Single(receiver.Requests);
        Assert.False(request.Headers.ContainsKey("X-BlazorIot-Signature"));
        Assert.True(Body(request).GetProperty("test").GetBoolean());
        var logged = Assert.Single(await LogAsync(server, channel.Id));
        Assert.True(logged.Test);
        Assert.Equal(DeliveryStatus.Delivered, logged.Status);
    }

    public static TheoryData<string> Failures() => ["500", "drop"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_message_the_receiver_failed_is_sent_again_with_the_same_delivery_id(string failure)
    {
        var time = Clock();
        await using var server = LiveServer.Start(time);
        var channel = await WebhookAsync(server, receiver.Url);
        receiver.Script(failure == "drop" ? ReceiverAnswer.Drop : new ReceiverAnswer(500));

        Sink(server).Raise(Event("kitchen"));
        var waiting = await WaitForAsync(server, channel.Id, DeliveryStatus.Pending, 1);
        Assert.NotNull(waiting.LastError);
        Assert.True(waiting.NextAttempt <= waiting.LastAttempt + TimeSpan.FromSeconds(30), $"first retry within 30 s, not at {waiting.NextAttempt}");
        time.Advance(TimeSpan.FromSeconds(30));

        await WaitForAsync(server, channel.Id, DeliveryStatus.Delivered, 2);
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(receiver.Requests[0].Delivery, receiver.Requests[1].Delivery);
        Assert.Equal(200, receiver.Requests[1].Answered);
    }

    [Fact]
    public async Task Retry_After_is_honoured_the_message_waits_for_it_while_other_channels_go_on()
    {
        var time = Clock();
        await using var server = LiveServer.Start(time);
        await using var other = await TestReceiver.StartAsync();
        var channel = await WebhookAsync(server, receiver.Url, sensors: ["kitchen"]);
        var marker = await WebhookAsync(server, other.Url, sensors: ["marker"]);
        receiver.Script(new ReceiverAnswer(429, RetryAfter: TimeSpan.FromMinutes(2)));

        Sink(server).Raise(Event("kitchen"));
        var waiting = await WaitForAsync(server, channel.Id, DeliveryStatus.Pending, 1);
        Assert.Equal(waiting.LastAttempt + TimeSpan.FromMinutes(2), waiting.NextAttempt);

        // A second before it: the other channel's message goes, this one does not.
        time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        Sink(server).Raise(Event("marker"));
        await WaitForAsync(server, marker.Id, DeliveryStatus.Delivered, 1);
        Assert.Single(receiver.Requests);

        time.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(server, channel.Id, DeliveryStatus.Delivered, 2);
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task A_slow_receiver_holds_up_only_its_own_channel()
    {
        await using var server = LiveServer.Start(Clock());
        await using var fast = await TestReceiver.StartAsync();
        var slowChannel = await WebhookAsync(server, receiver.Url, sensors: ["slow"]);
        var fastChannel = await WebhookAsync(server, fast.Url, sensors: ["fast"]);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Script(new ReceiverAnswer(200, Until: release.Task));

        Sink(server).Raise(Event("slow"));
        await Eventually.TrueAsync(() => receiver.Requests.Count == 1, "the slow receiver has the request");
        Sink(server).Raise(Event("fast"));

        await WaitForAsync(server, fastChannel.Id, DeliveryStatus.Delivered, 1);
        Assert.Equal(DeliveryStatus.Pending, (await LogAsync(server, slowChannel.Id))[0].Status);
        release.SetResult();
        await WaitForAsync(server, slowChannel.Id, DeliveryStatus.Delivered, 1);
    }

    [Fact]
    public async Task A_message_still_failing_after_a_day_is_given_up()
    {
        var time = Clock();
        await using var server = LiveServer.Start(time, new Dictionary<string, string?>
        {
            ["Notifications:FirstRetry"] = "01:00:00",
            ["Notifications:LongestRetry"] = "01:00:00",
        });
        var channel = await WebhookAsync(server, receiver.Url);
        receiver.Script([.. Enumerable.Repeat(new ReceiverAnswer(503), 200)]);

        Sink(server).Raise(Event("kitchen"));
        var tries = 0;
        DeliveryRecord newest;
        do
        {
            tries++;
            await Eventually.TrueAsync(() => receiver.Requests.Count >= tries, $"try {tries} reached the receiver");
            await Eventually.TrueAsync(
                async () => (await LogAsync(server, channel.Id))[0] is { } record && record.Attempts == tries && record.LastError is not null,
                $"try {tries} is recorded");
            newest = (await LogAsync(server, channel.Id))[0];
            if (newest.Status == DeliveryStatus.Pending)
            {
                time.Advance(newest.NextAttempt!.Value - time.GetUtcNow());
            }
        }
        while (newest.Status == DeliveryStatus.Pending && tries < 150);

        Assert.Equal(DeliveryStatus.Failed, newest.Status);
        Assert.True(newest.LastAttempt <= Start + TimeSpan.FromHours(24), $"the last try was at {newest.LastAttempt}");
        Assert.True(newest.LastAttempt > Start + TimeSpan.FromHours(23), $"it kept trying for a day, the last try was at {newest.LastAttempt}");
        Assert.Contains("503", newest.LastError, StringComparison.Ordinal);
        Assert.Contains("Given up", newest.LastError, StringComparison.Ordinal);
        Assert.Null(newest.NextAttempt);
    }

    public static TheoryData<int> Refusals() => [400, 404, 410, 302];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refusal_or_a_redirect_is_not_tried_again(int status)
    {
        await using var server = LiveServer.Start(Clock());
        var channel = await WebhookAsync(server, receiver.Url);
        receiver.Script(new ReceiverAnswer(status, Location: status == 302 ? "http://127.0.0.1:9/elsewhere" : null));

        Sink(server).Raise(Event("kitchen"));

        var failed = await WaitForAsync(server, channel.Id, DeliveryStatus.Failed, 1);
        Assert.StartsWith(status.ToString(CultureInfo.InvariantCulture), failed.LastError, StringComparison.Ordinal);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task A_restart_before_the_retry_resumes_it_and_a_delivered_message_is_never_sent_again()
    {
        var path = LiveServer.NewDatabasePath();
        try
        {
            long channel;
            var time = Clock();
            receiver.Script(new ReceiverAnswer(500));
            await using (var before = LiveServer.Start(time, databasePath: path))
            {
                channel = (await WebhookAsync(before, receiver.Url)).Id;
                Sink(before).Raise(Event("kitchen"));
                await WaitForAsync(before, channel, DeliveryStatus.Pending, 1);
            }

            var later = new FakeTimeProvider(time.GetUtcNow());
            await using (var after = LiveServer.Start(later, databasePath: path))
            {
                later.Advance(TimeSpan.FromSeconds(30));
                await WaitForAsync(after, channel, DeliveryStatus.Delivered, 2);
            }

            await using (var again = LiveServer.Start(new FakeTimeProvider(later.GetUtcNow() + TimeSpan.FromHours(2)), databasePath: path))
            {
                Sink(again).Raise(Event("hall"));
                await Eventually.TrueAsync(() => receiver.Requests.Any(request => SensorsIn(request).Contains("hall")), "a new message after the second restart");
                await WaitForAsync(again, channel, DeliveryStatus.Delivered, 1);
            }

            var first = receiver.Requests[0].Delivery;
            Assert.Equal(1, receiver.Requests.Count(request => request.Delivery == first && request.Answered == 200));
            Assert.Equal(3, receiver.Requests.Count);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task A_storm_becomes_one_message_a_minute_the_first_event_going_at_once()
    {
        var time = Clock();
        await using var server = LiveServer.Start(time);
        var channel = await WebhookAsync(server, receiver.Url);

        Sink(server).Raise(Event("first"));
        await WaitForAsync(server, channel.Id, DeliveryStatus.Delivered, 1);
        var storm = Enumerable.Range(0, 50).Select(i => $"sensor-{i}").ToList();
        foreach (var sensor in storm)
        {
            Sink(server).Raise(Event(sensor));
        }
        await Eventually.TrueAsync(
            async () => (await LogAsync(server, channel.Id))[0] is { Status: DeliveryStatus.Pending, Events.Count: 50 },
            "the 50 events wait in one message");
        Assert.Equal(["first"], SensorsIn(Assert.Single(receiver.Requests)));
        Assert.Equal(Start + TimeSpan.FromMinutes(1), (await LogAsync(server, channel.Id))[0].NextAttempt);

        time.Advance(TimeSpan.FromMinutes(1));

        await Eventually.TrueAsync(() => receiver.Requests.Count == 2, "the grouped message is sent when the minute is up");
        Assert.Equal(storm, SensorsIn(receiver.Requests[1]));
        Assert.Equal(2, (await LogAsync(server, channel.Id)).Count);
    }

    [Fact]
    public async Task A_channel_only_gets_the_sensors_and_events_it_chose()
    {
        await using var server = LiveServer.Start(Clock());
        var save = await server.Services.GetRequiredService<NotificationChannels>().CreateAsync(
            new ChannelInput("picky", ChannelKind.Webhook, receiver.Url.ToString(), null, ["kitchen"], [NotificationEventKind.Silent], null), CancellationToken.None);

        Sink(server).Raise(Event("kitchen", NotificationChange.AboveHigh));
        Sink(server).Raise(Event("hall", NotificationChange.Silent));
        Sink(server).Raise(Event("kitchen", NotificationChange.Silent));

        var delivered = await WaitForAsync(server, save.Channel!.Id, DeliveryStatus.Delivered, 1);
        var only = Assert.Single(delivered.Events);
        Assert.Equal(("kitchen", NotificationChange.Silent), (only.Sensor, only.Change));
    }

    [Fact]
    public async Task With_private_addresses_refused_loopback_is_refused_by_address_and_by_name_with_the_reason_logged()
    {
        await using var server = LiveServer.Start(Clock(), new Dictionary<string, string?> { ["Notifications:RefusePrivateAddresses"] = "true" });
        var channels = server.Services.GetRequiredService<NotificationChannels>();
        var byAddress = await WebhookAsync(server, receiver.Url);
        var byName = await WebhookAsync(server, new UriBuilder(receiver.Url) { Host = "localhost" }.Uri);
        var byIPv6 = await WebhookAsync(server, new UriBuilder(receiver.Url) { Host = "[::1]" }.Uri);

        var refused = await channels.TestAsync(byAddress.Id, CancellationToken.None);
        var refusedByName = await channels.TestAsync(byName.Id, CancellationToken.None);

        Assert.False(refused!.Delivered);
        Assert.Contains("127.0.0.1 is a loopback address", refused.Error, StringComparison.Ordinal);
        Assert.Contains("RefusePrivateAddresses", refused.Error, StringComparison.Ordinal);
        Assert.False(refusedByName!.Delivered);
        Assert.Contains("loopback address", refusedByName.Error, StringComparison.Ordinal);
        var refusedIPv6 = await channels.TestAsync(byIPv6.Id, CancellationToken.None);
        Assert.Contains("::1 is a loopback address", refusedIPv6!.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
        var logged = Assert.Single(await LogAsync(server, byAddress.Id));
        Assert.Equal(DeliveryStatus.Failed, logged.Status);
        Assert.Contains("loopback", logged.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_private_addresses_allowed_loopback_is_reached()
    {
        await using var server = LiveServer.Start(Clock());
        var channel = await WebhookAsync(server, receiver.Url);

        var outcome = await server.Services.GetRequiredService<NotificationChannels>().TestAsync(channel.Id, CancellationToken.None);

        Assert.True(outcome!.Delivered, outcome.Error);
        Assert.Single(receiver.Requests);
    }
}
