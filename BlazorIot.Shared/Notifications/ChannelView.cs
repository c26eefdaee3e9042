using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Notifications;

/// <summary>
/// A channel as the API and the settings page show it: never its secret, only whether it has one
/// and its last four characters. For Slack and Discord, whose URL is itself the secret, the URL
/// is shown the same way (scheme, host and the last four characters).
/// </summary>
public sealed record ChannelView(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("kind")] ChannelKind Kind,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("secretHint")] string? SecretHint,
    [property: JsonPropertyName("sensors")] IReadOnlyList<string>? Sensors,
    [property: JsonPropertyName("events")] IReadOnlyList<NotificationEventKind> Events,
    [property: JsonPropertyName("email")] EmailSettings? Email,
    [property: JsonPropertyName("created")] DateTimeOffset Created);
