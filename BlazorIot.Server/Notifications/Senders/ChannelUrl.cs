namespace BlazorIot.Server.Notifications.Senders;

/// <summary>The URL an HTTP channel posts to, when it is one: absolute, http or https.</summary>
public static class ChannelUrl
{
    public static Uri? Parse(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp)
            ? parsed
            : null;

    public static DeliveryAttempt Missing(string what) =>
        new(false, null, null, $"The channel has no {what} (an absolute http or https URL).", null, Permanent: true);
}
