using BlazorIot.Server.Notifications;
using BlazorIot.Server.Notifications.Senders;
using BlazorIot.Shared.Notifications;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SmtpServer.Protocol;

namespace BlazorIot.Tests.Notifications.Senders;

public sealed class EmailSenderTests
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task A_message_goes_over_starttls_with_auth_to_every_recipient()
    {
        await using var smtp = await SmtpTestServer.StartAsync(startTls: true, login: ("alerts", Password));
        var sender = Trusting(smtp);

        var attempt = await sender.SendAsync(
            Channel(smtp, startTls: true, user: "alerts", secret: Password, to: ["ops@example.com", "me@example.org"]), 42,
            [SenderServices.Above(), SenderServices.Silent()], test: false, CancellationToken.None);

        Assert.True(attempt.Delivered, attempt.Error);
        Assert.Equal(250, attempt.Status);
        var mail = Assert.Single(smtp.Stored);
        Assert.True(mail.OverTls);
        Assert.Equal("alerts", mail.User);
        Assert.Equal(["ops@example.com", "me@example.org"], mail.Recipients);
        var from = Assert.Single(mail.Message.From.Mailboxes);
        Assert.Equal(("BlazorIot", "blazoriot@example.com"), (from.Name, from.Address));
        Assert.Equal(["ops@example.com", "me@example.org"], mail.Message.To.Mailboxes.Select(mailbox => mailbox.Address));
        Assert.Equal("2 sensor changes", mail.Message.Subject);
        Assert.Equal("blazoriot.7.42@example.com", mail.Message.MessageId);
        Assert.Contains("co2 above 1000: 1204.5 at 2026-12-07T14:15:00Z", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("door silent: no reading since 14:03 UTC (12 min) at 2026-12-07T14:15:00Z", mail.Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_for_good_and_the_password_is_nowhere_in_the_attempt()
    {
        await using var smtp = await SmtpTestServer.StartAsync(startTls: true, login: ("alerts", Password));
        var sender = Trusting(smtp);

        var attempt = await sender.SendAsync(
            Channel(smtp, startTls: true, user: "alerts", secret: "hunter2-wrong"), 1, [SenderServices.Above()], test: false, CancellationToken.None);

        Assert.False(attempt.Delivered);
        Assert.True(attempt.Permanent);
        Assert.Equal(535, attempt.Status);
        Assert.DoesNotContain("hunter2", attempt.ToString(), StringComparison.Ordinal);
        Assert.Empty(smtp.Stored);
    }

    [Fact]
    public async Task Starttls_asked_of_a_server_without_it_sends_nothing_rather_than_clear_text()
    {
        await using var smtp = await SmtpTestServer.StartAsync(startTls: false);
        var sender = Trusting(smtp);

        var attempt = await sender.SendAsync(Channel(smtp, startTls: true), 1, [SenderServices.Above()], test: false, CancellationToken.None);

        Assert.False(attempt.Delivered);
        Assert.True(attempt.Permanent);
        Assert.Contains("STARTTLS", attempt.Error, StringComparison.Ordinal);
        Assert.Empty(smtp.Stored);
    }

    [Fact]
    public async Task A_certificate_the_system_does_not_trust_is_not_sent_to()
    {
        await using var smtp = await SmtpTestServer.StartAsync(startTls: true);
        var sender = new EmailSender(new FakeTimeProvider(SenderServices.Now), Options.Create(new NotificationOptions()));

        var attempt = await sender.SendAsync(Channel(smtp, startTls: true), 1, [SenderServices.Above()], test: false, CancellationToken.None);

        Assert.False(attempt.Delivered);
        Assert.Empty(smtp.Stored);
    }

    [Fact]
    public async Task A_550_from_the_server_is_refused_for_good()
    {
        var refused = new Dictionary<string, SmtpResponse> { ["gone@example.com"] = new(SmtpReplyCode.MailboxUnavailable, "mailbox unavailable") };
        await using var smtp = await SmtpTestServer.StartAsync(startTls: false, refused: refused);
        var sender = Trusting(smtp);

        var attempt = await sender.SendAsync(Channel(smtp, startTls: false, to: ["gone@example.com"]), 1, [SenderServices.Above()], test: false, CancellationToken.None);

        Assert.False(attempt.Delivered);
        Assert.True(attempt.Permanent);
        Assert.Equal(550, attempt.Status);
        Assert.Contains("mailbox unavailable", attempt.Answer, StringComparison.Ordinal);
        Assert.Empty(smtp.Stored);
    }

    [Fact]
    public async Task A_4xx_from_the_server_is_tried_again()
    {
        var refused = new Dictionary<string, SmtpResponse> { ["busy@example.com"] = new((SmtpReplyCode)451, "try again later") };
        await using var smtp = await SmtpTestServer.StartAsync(startTls: false, refused: refused);
        var sender = Trusting(smtp);

        var attempt = await sender.SendAsync(Channel(smtp, startTls: false, to: ["busy@example.com"]), 1, [SenderServices.Above()], test: false, CancellationToken.None);

        Assert.False(attempt.Delivered);
        Assert.False(attempt.Permanent);
        Assert.Equal(451, attempt.Status);
    }

    [Fact]
    public async Task With_private_addresses_refused_a_loopback_mail_server_is_refused_for_good_and_gets_nothing()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var sender = new EmailSender(new FakeTimeProvider(SenderServices.Now), Options.Create(new NotificationOptions { RefusePrivateAddresses = true }));
        var settings = new EmailSettings("localhost", ((System.Net.IPEndPoint)listener.LocalEndpoint).Port, StartTls: false, User: null, "blazoriot@example.com", ["ops@example.com"]);

        var attempt = await sender.SendAsync(
            SenderServices.Channel(ChannelKind.Email, null, email: settings), 1, [SenderServices.Above()], test: false, CancellationToken.None);

        Assert.False(attempt.Delivered);
        Assert.True(attempt.Permanent);
        Assert.Contains("loopback address", attempt.Error, StringComparison.Ordinal);
        Assert.False(listener.Pending(), "nothing connected to the mail server");
    }

    [Fact]
    public async Task A_refused_connection_is_tried_again()
    {
        var sender = new EmailSender(new FakeTimeProvider(SenderServices.Now), Options.Create(new NotificationOptions()));
        var settings = new EmailSettings("127.0.0.1", SmtpTestServer.FreePort(), StartTls: false, User: null, "blazoriot@example.com", ["ops@example.com"]);

        var attempt = await sender.SendAsync(
            SenderServices.Channel(ChannelKind.Email, null, email: settings), 1, [SenderServices.Above()], test: false, CancellationToken.None);

        Assert.False(attempt.Delivered);
        Assert.False(attempt.Permanent);
        Assert.Null(attempt.Status);
        Assert.NotNull(attempt.Error);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_given_up_on_after_the_timeout_and_tried_again()
    {
        // Accepted by the system's backlog, never greeted: the client waits for a 220 that never comes.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var time = new FakeTimeProvider(SenderServices.Now);
        var sender = new EmailSender(time, Options.Create(new NotificationOptions()));
        var settings = new EmailSettings("127.0.0.1", ((System.Net.IPEndPoint)silent.LocalEndpoint).Port, StartTls: false, User: null, "blazoriot@example.com", ["ops@example.com"]);

        var sending = sender.SendAsync(
            SenderServices.Channel(ChannelKind.Email, null, email: settings), 1, [SenderServices.Above()], test: false, CancellationToken.None);
        time.Advance(EmailSender.Timeout);
        var attempt = await sending.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.False(attempt.Delivered);
        Assert.False(attempt.Permanent);
        Assert.Contains("No answer", attempt.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_test_message_in_clear_text_says_it_is_a_test_from_BlazorIot()
    {
        await using var smtp = await SmtpTestServer.StartAsync(startTls: false);
        using var services = SenderServices.Build();
        var sender = services.Sender(ChannelKind.Email);

        var attempt = await sender.SendAsync(Channel(smtp, startTls: false), 1, [], test: true, CancellationToken.None);

        Assert.True(attempt.Delivered, attempt.Error);
        var mail = Assert.Single(smtp.Stored);
        Assert.False(mail.OverTls);
        Assert.Null(mail.User);
        Assert.Equal("Test notification from BlazorIot", mail.Message.Subject);
        Assert.Contains(NotificationText.TestNotice, mail.Message.TextBody, StringComparison.Ordinal);
    }

    private static EmailSender Trusting(SmtpTestServer smtp) => new(new FakeTimeProvider(SenderServices.Now), Options.Create(new NotificationOptions()))
    {
        CertificateValidation = (_, certificate, _, _) =>
            smtp.Certificate is not null && certificate is not null && certificate.GetCertHashString() == smtp.Certificate.GetCertHashString(),
    };

    private static NotificationChannel Channel(SmtpTestServer smtp, bool startTls, string? user = null, string? secret = null, IReadOnlyList<string>? to = null) =>
        SenderServices.Channel(ChannelKind.Email, null, secret,
            new EmailSettings("127.0.0.1", smtp.Port, startTls, user, "BlazorIot <blazoriot@example.com>", to ?? ["ops@example.com"]));
}
