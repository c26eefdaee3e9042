using BlazorIot.Server.Notifications;
using BlazorIot.Shared.Notifications;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static BlazorIot.Tests.Notifications.NotificationTesting;

namespace BlazorIot.Tests.Notifications;

/// <summary>
/// What the notification store must do on every provider: SQLite (<see cref="SqliteNotificationStoreTests"/>) and
/// PostgreSQL (<see cref="PostgresNotificationStoreTests"/>).
/// </summary>
public abstract class NotificationStoreContract : StoreProviderTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [SkippableFact]
    public async Task A_channel_is_stored_whole_secret_included_and_deleting_it_deletes_its_messages()
    {
        await using var server = await StartAsync(Clock());
        var store = server.Services.GetRequiredService<NotificationStore>();
        var email = new EmailSettings("smtp.example.com", 587, true, "alerts", "alerts@example.com", ["ops@example.com", "ada@example.com"]);
        var created = await store.CreateChannelAsync(
            new NotificationChannel(0, "Mail", ChannelKind.Email, null, "pa55word", ["kitchen", "hall"], [NotificationEventKind.Silent], email, Start), CancellationToken.None);
        var other = await store.CreateChannelAsync(
            new NotificationChannel(0, "Hook", ChannelKind.Webhook, "https://example.com/h", null, null, [NotificationEventKind.Threshold, NotificationEventKind.Back], null, Start), CancellationToken.None);

        var read = await store.GetChannelAsync(created.Id, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(("Mail", ChannelKind.Email, "pa55word", Start), (read.Name, read.Kind, read.Secret, read.Created));
        Assert.Equal(["kitchen", "hall"], read.Sensors);
        Assert.Equal([NotificationEventKind.Silent], read.Events);
        Assert.Equal(email.To, read.Email!.To);
        Assert.Equal(email with { To = read.Email.To }, read.Email);
        Assert.Null((await store.GetChannelAsync(other.Id, CancellationToken.None))!.Sensors);
        Assert.Equal([created.Id, other.Id], (await store.ListChannelsAsync(CancellationToken.None)).Select(channel => channel.Id));

        Assert.True(await store.UpdateChannelAsync(read with { Name = "Mail 2", Secret = null }, CancellationToken.None));
        Assert.Equal(("Mail 2", null), ((await store.GetChannelAsync(created.Id, CancellationToken.None))!.Name, (await store.GetChannelAsync(created.Id, CancellationToken.None))!.Secret));

        await store.AddEventAsync(created.Id, Event("kitchen", NotificationChange.Silent), Later, Minute, CancellationToken.None);
        await store.AddTestMessageAsync(created.Id, Start, CancellationToken.None);
        Assert.Equal(2, (await store.DeliveriesAsync(created.Id, 10, CancellationToken.None)).Count);

        Assert.True(await store.DeleteChannelAsync(created.Id, CancellationToken.None));
        Assert.False(await store.DeleteChannelAsync(created.Id, CancellationToken.None));
        Assert.False(await store.UpdateChannelAsync(read, CancellationToken.None));
        Assert.Null(await store.GetChannelAsync(created.Id, CancellationToken.None));
        Assert.Empty(await store.DeliveriesAsync(created.Id, 10, CancellationToken.None));
        Assert.Empty(await store.DueAsync(Later + TimeSpan.FromDays(1), 10, CancellationToken.None));
        Assert.Null(await store.AddEventAsync(created.Id, Event("kitchen", NotificationChange.Back), Later, Minute, CancellationToken.None));
    }

    [SkippableFact]
    public async Task Events_wait_in_the_untried_message_one_message_per_window_at_most_a_hundred_events_each()
    {
        await using var server = await StartAsync(Clock());
        var store = server.Services.GetRequiredService<NotificationStore>();
        var channel = await store.CreateChannelAsync(Hook(), CancellationToken.None);

        Assert.Equal(Later, await store.AddEventAsync(channel.Id, Event("a"), Later, Minute, CancellationToken.None));
        Assert.Equal(Later, await store.AddEventAsync(channel.Id, Event("b"), Later + TimeSpan.FromSeconds(5), Minute, CancellationToken.None));
        var head = Assert.Single(await store.DueAsync(Later + TimeSpan.FromSeconds(5), 10, CancellationToken.None));
        var claimed = await store.ClaimAsync(head.MessageId, Later + TimeSpan.FromSeconds(5), Later + Lease, CancellationToken.None);
        Assert.Equal(["a", "b"], claimed!.Events.Select(e => e.Sensor));
        Assert.Null(await store.ClaimAsync(head.MessageId, Later + TimeSpan.FromSeconds(5), Later + Lease, CancellationToken.None));

        // Tried: what comes next opens a message due a window after the first one was created.
        var sensors = Enumerable.Range(0, 150).Select(i => $"s{i}").ToList();
        var added = Later + TimeSpan.FromSeconds(10);
        foreach (var (sensor, index) in sensors.Select((sensor, index) => (sensor, index)))
        {
            // The hundred-and-first event opens another message, due a window after that one was created.
            var due = index < NotificationStore.MessageEvents ? Later + Minute : added + Minute;
            Assert.Equal(due, await store.AddEventAsync(channel.Id, Event(sensor), added, Minute, CancellationToken.None));
        }
        var log = await store.DeliveriesAsync(channel.Id, 10, CancellationToken.None);
        Assert.Equal([50, 100, 2], log.Select(record => record.Events.Count));
        Assert.Equal(sensors, log[1].Events.Concat(log[0].Events).Select(e => e.Sensor));
        Assert.Equal(added + Minute, log[0].NextAttempt);

        // A channel's messages go one at a time, oldest first: the next is due, but waits while the first is under way.
        Assert.Empty(await store.DueAsync(Later + TimeSpan.FromMinutes(2), 10, CancellationToken.None));
        await store.RecordAsync(head.MessageId, DeliveryStatus.Delivered, 200, null, null, 500, CancellationToken.None);
        Assert.Equal(log[1].Id, Assert.Single(await store.DueAsync(Later + TimeSpan.FromMinutes(2), 10, CancellationToken.None)).MessageId);
        Assert.Equal(Later + Minute, await store.NextDueAsync([], CancellationToken.None));
        // While that channel is being sent to, its head does not count: other channels' due times do.
        Assert.Null(await store.NextDueAsync([channel.Id], CancellationToken.None));
    }

    [SkippableFact]
    public async Task The_same_event_raised_twice_as_by_two_instances_is_delivered_once()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var time = Clock();
        await using var server = await StartAsync(time);
        var channel = await WebhookAsync(server, receiver.Url);
        var store = server.Services.GetRequiredService<NotificationStore>();
        Assert.NotNull(await store.AddEventAsync(channel.Id, Event("kitchen"), Start, Minute, CancellationToken.None));
        Assert.Null(await store.AddEventAsync(channel.Id, Event("kitchen"), Start, Minute, CancellationToken.None));

        Sink(server).Raise(Event("kitchen"));
        Sink(server).Raise(Event("marker"));
        await Eventually.TrueAsync(
            async () => (await LogAsync(server, channel.Id)).SelectMany(record => record.Events).Any(e => e.Sensor == "marker"),
            "the marker event, raised after the repeat, is stored");
        time.Advance(Minute);

        await Eventually.TrueAsync(() => receiver.Requests.SelectMany(SensorsIn).Contains("marker"), "everything stored is delivered");
        Assert.Equal(1, receiver.Requests.SelectMany(SensorsIn).Count(sensor => sensor == "kitchen"));
    }

    [SkippableFact]
    public async Task The_delivery_log_keeps_the_newest_messages_of_each_channel()
    {
        await using var server = await StartAsync(Clock(), new Dictionary<string, string?> { ["Notifications:LogPerChannel"] = "10" });
        var store = server.Services.GetRequiredService<NotificationStore>();
        var channel = await store.CreateChannelAsync(Hook(), CancellationToken.None);
        var other = await store.CreateChannelAsync(Hook(), CancellationToken.None);
        var pending = await store.AddEventAsync(channel.Id, Event("waiting"), Later, Minute, CancellationToken.None);
        Assert.NotNull(pending);
        await store.AddTestMessageAsync(other.Id, Start, CancellationToken.None);

        var ids = new List<long>();
        for (var i = 0; i < 15; i++)
        {
            var id = (await store.AddTestMessageAsync(channel.Id, Start, CancellationToken.None))!.Value;
            await store.RecordAsync(id, DeliveryStatus.Delivered, 200, null, null, 10, CancellationToken.None);
            ids.Add(id);
        }

        var log = await store.DeliveriesAsync(channel.Id, 100, CancellationToken.None);
        // The newest ten, and the pending message, which stays however old it is.
        Assert.Equal([.. ids.TakeLast(10).Reverse()], log.Where(record => record.Test).Select(record => record.Id));
        Assert.Single(log, record => record.Status == DeliveryStatus.Pending);
        Assert.Single(await store.DeliveriesAsync(other.Id, 100, CancellationToken.None));
    }

    /// <summary>
    /// The time the tests that look at the store alone add their messages at: a day after the server's clock, so the
    /// server's own dispatcher never finds them due.
    /// </summary>
    private static readonly DateTimeOffset Later = Start + TimeSpan.FromDays(1);

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static NotificationChannel Hook() =>
        new(0, "Hook", ChannelKind.Ntfy, "https://ntfy.example.com/topic", null, null, Enum.GetValues<NotificationEventKind>(), null, Start);
}
