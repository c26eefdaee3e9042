using System.Text;
using BlazorIot.Shared.Notifications;

namespace BlazorIot.Server.Notifications.Senders;

/// <summary>
/// Publishes to an ntfy topic URL: the lines as a plain-text body (within ntfy's 4096-byte message
/// limit, past which it would turn the body into an attachment) and the headers ntfy reads:
/// <c>Title</c> (RFC 2047 encoded when not ASCII, as ntfy decodes it), <c>Priority</c> (high for a
/// crossing or a silence, default otherwise), <c>Tags</c> (emoji short names) and, when the channel
/// has a secret, <c>Authorization: Bearer</c> with it as the access token.
/// </summary>
public sealed class NtfySender(HttpDelivery delivery) : IChannelSender
{
    public const int BodyBytes = 4096;
    public const int TitleLength = 250;

    public ChannelKind Kind => ChannelKind.Ntfy;

    public async Task<DeliveryAttempt> SendAsync(
        NotificationChannel channel, long messageId, IReadOnlyList<NotificationEvent> events, bool test, CancellationToken cancellationToken)
    {
        if (ChannelUrl.Parse(channel.Url) is not { } url)
        {
            return ChannelUrl.Missing("topic URL");
        }
        var text = NotificationText.For(events, test);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(Body(text), Encoding.UTF8, "text/plain"),
        };
        request.Headers.TryAddWithoutValidation("Title", HeaderValue(NotificationText.Truncate(text.Title, TitleLength)));
        request.Headers.TryAddWithoutValidation("Priority", Priority(events));
        request.Headers.TryAddWithoutValidation("Tags", string.Join(',', Tags(text)));
        if (!string.IsNullOrEmpty(channel.Secret))
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + channel.Secret);
        }
        return await delivery.SendAsync(request, cancellationToken);
    }

    internal static string Body(NotificationText text)
    {
        var lines = new List<string>(text.Events.Count + 1);
        if (text.Test)
        {
            lines.Add(NotificationText.TestNotice);
        }
        lines.AddRange(text.Lines());
        return string.Join('\n', NotificationText.Fit(lines, BodyBytes, Encoding.UTF8.GetByteCount));
    }

    internal static string Priority(IReadOnlyList<NotificationEvent> events) =>
        events.Any(notification => notification.Change is NotificationChange.AboveHigh or NotificationChange.BelowLow or NotificationChange.Silent)
            ? "high"
            : "default";

    internal static IEnumerable<string> Tags(NotificationText text)
    {
        var tags = text.Events.Select(notification => notification.Change switch
        {
            NotificationChange.AboveHigh or NotificationChange.BelowLow => "warning",
            NotificationChange.Silent => "zzz",
            _ => "white_check_mark",
        }).Distinct();
        // A tag that is no emoji short name is shown as a word under the message.
        return text.Test ? tags.Append("test") : tags;
    }

    /// <summary>HTTP headers are ASCII: anything else goes as an RFC 2047 encoded word, which ntfy decodes.</summary>
    internal static string HeaderValue(string text) =>
        Ascii.IsValid(text) && !text.Any(char.IsControl)
            ? text
            : "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) + "?=";
}
