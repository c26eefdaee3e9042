using BlazorIot.Server.Dashboard.Pages;
using BlazorIot.Server.Ingest;
using BlazorIot.Server.Notifications;
using BlazorIot.Server.Security;
using BlazorIot.Shared.Notifications;
using BlazorIot.Tests.Notifications;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Dashboard.Notifications;

public sealed class NotificationSettingsTests : DashboardTestContext
{
    private NotificationChannels Channels => Services.GetRequiredService<NotificationChannels>();

    [Fact]
    public async Task A_webhook_channel_added_through_the_form_is_listed_and_saved_with_its_sensors_events_and_secret()
    {
        await Host.IngestAsync(new ReadingInput("greenhouse", 1), new ReadingInput("cellar", 2));
        var page = Render<NotificationSettings>();
        Assert.Equal("Notifications", page.Find("h1").TextContent);
        Assert.NotNull(page.Find("[data-testid=no-channels]"));

        page.Find("[data-testid=channel-name]").Change("Ops hook");
        page.Find("[data-testid=channel-kind]").Change(nameof(ChannelKind.Webhook));
        page.Find("[data-testid=channel-url]").Change("https://hooks.example.com/blazoriot");
        page.Find("[data-testid=channel-secret]").Change("signing-secret-9876");
        page.Find("[data-testid=channel-some-sensors]").Change(true);
        page.Find("[data-testid=channel-sensor-greenhouse]").Change(true);
        page.Find("[data-testid=channel-event-back]").Change(false);
        await page.Find("[data-testid=channel-save]").ClickAsync(new());

        var item = page.Find("[data-testid=channel]");
        Assert.Contains("Ops hook", item.QuerySelector("[data-testid=channel-title]")!.TextContent);
        Assert.Equal("https://hooks.example.com/blazoriot", item.QuerySelector("[data-testid=channel-target]")!.TextContent);
        Assert.Equal("greenhouse", item.QuerySelector("[data-testid=channel-sensor-list]")!.TextContent);
        Assert.Equal("Threshold crossed or cleared, Sensor silent", item.QuerySelector("[data-testid=channel-event-list]")!.TextContent);
        Assert.Equal("set, ending …9876", item.QuerySelector("[data-testid=channel-secret-set]")!.TextContent);
        Assert.DoesNotContain("signing-secret", page.Markup, StringComparison.Ordinal);
        Assert.Equal("", page.Find("[data-testid=channel-name]").GetAttribute("value") ?? "");

        var stored = Assert.Single(await Channels.ListAsync(CancellationToken.None));
        Assert.Equal(("Ops hook", ChannelKind.Webhook, "https://hooks.example.com/blazoriot", "…9876"), (stored.Name, stored.Kind, stored.Url, stored.SecretHint));
        Assert.Equal(["greenhouse"], stored.Sensors);
        Assert.Equal([NotificationEventKind.Threshold, NotificationEventKind.Silent], stored.Events);
    }

    [Fact]
    public async Task An_e_mail_channel_takes_its_smtp_settings_and_recipients_separated_by_commas_or_lines()
    {
        var page = Render<NotificationSettings>();

        page.Find("[data-testid=channel-name]").Change("On call");
        page.Find("[data-testid=channel-kind]").Change(nameof(ChannelKind.Email));
        Assert.Empty(page.FindAll("[data-testid=channel-url]"));
        page.Find("[data-testid=channel-email-host]").Change("smtp.example.com");
        page.Find("[data-testid=channel-email-port]").Change("2525");
        page.Find("[data-testid=channel-email-starttls]").Change(false);
        page.Find("[data-testid=channel-email-from]").Change("alerts@example.com");
        page.Find("[data-testid=channel-email-to]").Change("ada@example.com, bob@example.com\ncy@example.com");
        await page.Find("[data-testid=channel-save]").ClickAsync(new());

        Assert.Equal("ada@example.com, bob@example.com, cy@example.com via smtp.example.com:2525", page.Find("[data-testid=channel-target]").TextContent);
        var stored = Assert.Single(await Channels.ListAsync(CancellationToken.None));
        var email = stored.Email!;
        Assert.Equal(("smtp.example.com", 2525, false, (string?)null, "alerts@example.com"), (email.Host, email.Port, email.StartTls, email.User, email.From));
        Assert.Equal(["ada@example.com", "bob@example.com", "cy@example.com"], stored.Email!.To);
    }

    [Fact]
    public async Task Bad_fields_are_refused_each_next_to_its_input_and_nothing_is_saved()
    {
        var page = Render<NotificationSettings>();

        page.Find("[data-testid=channel-name]").Change("Hook");
        page.Find("[data-testid=channel-url]").Change("ftp://example.com/x");
        page.Find("[data-testid=channel-some-sensors]").Change(true);
        await page.Find("[data-testid=channel-save]").ClickAsync(new());

        Assert.Contains("http:// or https://", page.Find("[data-testid='error-url']").TextContent);
        Assert.Contains("Tick at least one sensor", page.Find("[data-testid='error-sensors']").TextContent);
        Assert.Empty(page.FindAll("[data-testid='error-name']"));
        Assert.Empty(await Channels.ListAsync(CancellationToken.None));

        page.Find("[data-testid=channel-kind]").Change(nameof(ChannelKind.Email));
        page.Find("[data-testid=channel-all-sensors]").Change(true);
        page.Find("[data-testid=channel-email-from]").Change("not an address");
        await page.Find("[data-testid=channel-save]").ClickAsync(new());

        Assert.Contains("host name or an IP address", page.Find("[data-testid='error-email.host']").TextContent);
        Assert.Contains("The sender is an e-mail address", page.Find("[data-testid='error-email.from']").TextContent);
        Assert.Contains("At least one recipient", page.Find("[data-testid='error-email.to']").TextContent);
        Assert.Empty(await Channels.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Editing_with_the_secret_left_empty_keeps_it_and_the_remove_box_removes_it()
    {
        var created = await Channels.CreateAsync(
            new ChannelInput("Hook", ChannelKind.Webhook, "https://example.com/a", "first-secret-1234", null, null, null), CancellationToken.None);
        var page = Render<NotificationSettings>();

        await page.Find("[data-testid=channel-edit]").ClickAsync(new());
        JSInterop.VerifyFocusAsyncInvoke();
        Assert.Equal("Hook", page.Find("[data-testid=channel-name]").GetAttribute("value"));
        Assert.Equal("password", page.Find("[data-testid=channel-secret]").GetAttribute("type"));
        Assert.Equal("", page.Find("[data-testid=channel-secret]").GetAttribute("value") ?? "");
        Assert.Contains("ending …1234", page.Find("[data-testid=channel-secret-hint]").TextContent);
        page.Find("[data-testid=channel-name]").Change("Renamed hook");
        await page.Find("[data-testid=channel-save]").ClickAsync(new());

        var kept = await Channels.GetAsync(created.Channel!.Id, CancellationToken.None);
        Assert.Equal(("Renamed hook", "…1234"), (kept!.Name, kept.SecretHint));
        Assert.Contains("Renamed hook", page.Find("[data-testid=channel-title]").TextContent);

        await page.Find("[data-testid=channel-edit]").ClickAsync(new());
        page.Find("[data-testid=channel-remove-secret]").Change(true);
        await page.Find("[data-testid=channel-save]").ClickAsync(new());

        Assert.Null((await Channels.GetAsync(created.Channel.Id, CancellationToken.None))!.SecretHint);
        Assert.Equal("none", page.Find("[data-testid=channel-secret-set]").TextContent);
    }

    [Fact]
    public async Task A_channel_is_deleted_only_after_the_second_click()
    {
        await Channels.CreateAsync(new ChannelInput("Doomed", ChannelKind.Ntfy, "https://ntfy.example.com/topic", null, null, null, null), CancellationToken.None);
        var page = Render<NotificationSettings>();

        await page.Find("[data-testid=channel-delete]").ClickAsync(new());
        Assert.Single(await Channels.ListAsync(CancellationToken.None));
        await page.Find("[data-testid=channel-delete-cancel]").ClickAsync(new());
        await page.Find("[data-testid=channel-delete]").ClickAsync(new());
        await page.Find("[data-testid=channel-delete-confirm]").ClickAsync(new());

        Assert.Empty(await Channels.ListAsync(CancellationToken.None));
        Assert.Empty(page.FindAll("[data-testid=channel]"));
        Assert.NotNull(page.Find("[data-testid=no-channels]"));
    }

    [Fact]
    public async Task A_viewer_sees_that_an_admin_sets_channels_up_and_nothing_of_them()
    {
        SignInConfigured();
        var user = AddAuthorization();
        user.SetAuthorized("vera");
        user.SetRoles(UserRoles.Viewer);
        await Channels.CreateAsync(new ChannelInput("Secret place", ChannelKind.Webhook, "https://internal.example.com/hook", null, null, null, null), CancellationToken.None);

        var page = Render<NotificationSettings>();

        Assert.Contains("An admin sets up notification channels", page.Find("[data-testid=notifications-read-only]").TextContent);
        Assert.Empty(page.FindAll("form, input, select, button"));
        Assert.DoesNotContain("Secret place", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("internal.example.com", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_test_shows_what_the_receiver_answered_delivered_or_not()
    {
        await using var happy = await TestReceiver.StartAsync();
        await using var broken = await TestReceiver.StartAsync();
        broken.Script(new ReceiverAnswer(500));
        await Channels.CreateAsync(new ChannelInput("Happy", ChannelKind.Webhook, happy.Url.ToString(), "a-long-secret", null, null, null), CancellationToken.None);
        await Channels.CreateAsync(new ChannelInput("Broken", ChannelKind.Webhook, broken.Url.ToString(), null, null, null, null), CancellationToken.None);
        var page = Render<NotificationSettings>();
        var items = page.FindAll("[data-testid=channel]");
        var happyItem = items.Single(i => i.TextContent.Contains("Happy", StringComparison.Ordinal));
        var brokenItem = items.Single(i => i.TextContent.Contains("Broken", StringComparison.Ordinal));

        await happyItem.QuerySelector("[data-testid=channel-test]")!.ClickAsync(new());
        await brokenItem.QuerySelector("[data-testid=channel-test]")!.ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(
            "Delivered HTTP 200 — thanks", Outcome(page, "Happy")));
        page.WaitForAssertion(() => Assert.Equal(
            "Not delivered HTTP 500 — not now", Outcome(page, "Broken")));
        Assert.Equal("status", page.Find("[data-testid=channel-test-outcome]").GetAttribute("role"));
        Assert.Single(happy.Requests);
        Assert.Single(broken.Requests);
    }

    [Fact]
    public async Task The_delivery_log_lists_tests_newest_first_and_follows_tests_sent_from_elsewhere()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var created = await Channels.CreateAsync(new ChannelInput("Hook", ChannelKind.Webhook, receiver.Url.ToString(), null, null, null, null), CancellationToken.None);
        var page = Render<NotificationSettings>();
        await page.Find("[data-testid=channel-log-toggle]").ClickAsync(new());
        Assert.Equal("true", page.Find("[data-testid=channel-log-toggle]").GetAttribute("aria-expanded"));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=delivery-log-empty]")));

        await page.Find("[data-testid=channel-test]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=delivery]")));
        Assert.Equal("Test message", page.Find("[data-testid=delivery-events]").TextContent);
        Assert.Equal("delivered", page.Find("[data-testid=delivery-status]").TextContent);

        // Sent through the API, say: the open log shows it without being asked.
        await receiver.DisposeAsync();
        await Channels.TestAsync(created.Channel!.Id, CancellationToken.None);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=delivery]").Count));
        Assert.Equal(["failed", "delivered"], page.FindAll("[data-testid=delivery-status]").Select(s => s.TextContent));
        Assert.NotEqual("", page.FindAll("[data-testid=delivery-error]")[0].TextContent);
    }

    private static string Outcome(IRenderedComponent<NotificationSettings> page, string channel) =>
        page.FindAll("[data-testid=channel]")
            .Single(i => i.TextContent.Contains(channel, StringComparison.Ordinal))
            .QuerySelector("[data-testid=channel-test-outcome]")!.TextContent;
}
