using System.Net.Security;
using System.Net.Sockets;
using BlazorIot.Shared.Notifications;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace BlazorIot.Server.Notifications.Senders;

/// <summary>
/// Sends an e-mail through the channel's SMTP server with MailKit: STARTTLS required when the
/// settings ask for it (a server that does not offer it gets nothing, rather than the message in
/// clear text), AUTH with the channel's secret as the password when a user is set. The attempt's
/// status is the SMTP reply code: a 5xx reply is refused for good, a 4xx reply or a failed
/// connection is tried again. The password is never put in an attempt or a log.
/// </summary>
public sealed class EmailSender(TimeProvider time, IOptions<NotificationOptions> options) : IChannelSender
{

    /// <summary>The most one try may take, connecting to quitting.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The success reply to the end of the message's data; MailKit keeps only its text.</summary>
    public const int Accepted = 250;

    /// <summary>Replaces the system's certificate check; tests use it to trust their own self-signed server.</summary>
    internal RemoteCertificateValidationCallback? CertificateValidation { get; init; }

    public ChannelKind Kind => ChannelKind.Email;

    public async Task<DeliveryAttempt> SendAsync(
        NotificationChannel channel, long messageId, IReadOnlyList<NotificationEvent> events, bool test, CancellationToken cancellationToken)
    {
        if (channel.Email is not { } settings)
        {
            return Refused("The channel has no e-mail settings.");
        }
        if (!string.IsNullOrEmpty(settings.User) && string.IsNullOrEmpty(channel.Secret))
        {
            return Refused("The channel has an SMTP user but no password (its secret).");
        }
        MimeMessage message;
        try
        {
            message = Message(channel, settings, messageId, NotificationText.For(events, test));
        }
        catch (ParseException exception)
        {
            return Refused($"An address is not valid: {exception.Message}");
        }

        using var timeout = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        if (CertificateValidation is { } validation)
        {
            client.ServerCertificateValidationCallback = validation;
        }
        try
        {
            var security = settings.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None;
            if (options.Value.RefusePrivateAddresses)
            {
                // As the HTTP channels: only a checked public address is reached (MailKit then owns the socket).
                var socket = await OutboundConnection.ConnectSocketPubliclyAsync(settings.Host, settings.Port, linked.Token);
                await client.ConnectAsync(socket, settings.Host, settings.Port, security, linked.Token);
            }
            else
            {
                await client.ConnectAsync(settings.Host, settings.Port, security, linked.Token);
            }
            if (!string.IsNullOrEmpty(settings.User))
            {
                await client.AuthenticateAsync(settings.User, channel.Secret ?? "", linked.Token);
            }
            var answer = await client.SendAsync(message, linked.Token);
            await QuitAsync(client, linked.Token);
            return DeliveryAttempt.Success(Accepted, answer);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Retry(null, null, $"No answer from {settings.Host}:{settings.Port} within {Timeout.TotalSeconds:0} s.");
        }
        catch (SmtpCommandException exception)
        {
            return Replied((int)exception.StatusCode, exception.Message);
        }
        catch (AuthenticationException exception)
        {
            return exception.InnerException is SmtpCommandException reply
                ? Replied((int)reply.StatusCode, exception.Message)
                : new DeliveryAttempt(false, null, exception.Message, "Authentication failed: " + exception.Message, null, Permanent: true);
        }
        catch (NotSupportedException exception) when (settings.StartTls && !client.IsSecure)
        {
            // MailKit refuses to go on in clear text when STARTTLS is required and not offered.
            return Refused($"{settings.Host}:{settings.Port} does not offer STARTTLS, so nothing was sent ({exception.Message}).");
        }
        catch (NotSupportedException exception)
        {
            // Such as a user set for a server that offers no AUTH: the settings need changing, not a retry.
            return Refused($"{settings.Host}:{settings.Port}: {exception.Message}");
        }
        catch (ArgumentException exception)
        {
            return Refused($"The e-mail settings are not usable: {exception.Message}");
        }
        catch (OutboundAddressRefusedException exception)
        {
            return Refused(exception.Message);
        }
        catch (Exception exception) when (exception is SocketException or IOException or SmtpProtocolException or SslHandshakeException or ServiceNotConnectedException)
        {
            return Retry(null, null, $"Could not talk to {settings.Host}:{settings.Port}: {exception.Message}");
        }
    }

    internal static MimeMessage Message(NotificationChannel channel, EmailSettings settings, long messageId, NotificationText text)
    {
        var from = MailboxAddress.Parse(settings.From);
        var message = new MimeMessage { Subject = text.Title };
        message.From.Add(from);
        foreach (var to in settings.To)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }
        // The same id on every retry of one message, so a mail system that got it twice can tell.
        message.MessageId = FormattableString.Invariant($"blazoriot.{channel.Id}.{messageId}@{from.Domain}");
        message.Body = new TextPart("plain") { Text = Body(text) };
        return message;
    }

    internal static string Body(NotificationText text)
    {
        var lines = new List<string>(text.Events.Count + 4);
        if (text.Test)
        {
            lines.Add(NotificationText.TestNotice);
            lines.Add("");
        }
        lines.AddRange(text.Lines());
        lines.Add("");
        lines.Add("-- ");
        lines.Add("Sent by BlazorIot.");
        return string.Join("\r\n", lines) + "\r\n";
    }

    private static async Task QuitAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or SocketException or SmtpProtocolException or SmtpCommandException)
        {
            // The server already took the message; a failed goodbye does not undo that.
        }
    }

    private static DeliveryAttempt Replied(int status, string answer)
    {
        var error = FormattableString.Invariant($"{status} {answer}");
        return status is >= 400 and < 500
            ? Retry(status, answer, error)
            : new DeliveryAttempt(false, status, answer, error, null, Permanent: true);
    }

    private static DeliveryAttempt Retry(int? status, string? answer, string error) =>
        new(false, status, answer, error, null, Permanent: false);

    private static DeliveryAttempt Refused(string error) => new(false, null, null, error, null, Permanent: true);
}
