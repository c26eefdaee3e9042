using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using BlazorIot.Shared.Notifications;

namespace BlazorIot.Server.Notifications;

/// <summary>
/// Sends our own JSON (<see cref="WebhookPayload"/>) to a webhook channel, with the time it was sent and the
/// message id in headers, signed with the channel's secret when it has one (<see cref="WebhookSignature"/>). The
/// outbox puts at most <see cref="NotificationStore.MessageEvents"/> events in a message, so bodies stay small.
/// </summary>
public sealed class WebhookSender(HttpDelivery delivery, TimeProvider time) : IChannelSender
{
    public const string TimestampHeader = "X-BlazorIot-Timestamp";
    public const string DeliveryHeader = "X-BlazorIot-Delivery";

    public ChannelKind Kind => ChannelKind.Webhook;

    public async Task<DeliveryAttempt> SendAsync(
        NotificationChannel channel, long messageId, IReadOnlyList<NotificationEvent> events, bool test, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(events);
        if (!ChannelRules.IsHttpUrl(channel.Url))
        {
            return new DeliveryAttempt(false, null, null, "The channel has no http or https url.", null, Permanent: true);
        }
        // Whole seconds: the timestamp header and the body's "sent" then say the same instant.
        var sent = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new WebhookPayload(messageId, test, sent, events),
            NotificationJsonContext.Default.WebhookPayload);
        using var request = new HttpRequestMessage(HttpMethod.Post, channel.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(TimestampHeader, sent.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(DeliveryHeader, messageId.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(channel.Secret))
        {
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Compute(channel.Secret, body));
        }
        return await delivery.SendAsync(request, cancellationToken);
    }
}
