using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Notifications;

/// <summary>
/// A channel as it is created (POST) or replaced (PUT). <see cref="Sensors"/> null means every
/// sensor; <see cref="Events"/> null or empty means every event. On PUT a null
/// <see cref="Secret"/> keeps the channel's current secret; an empty one removes it.
/// </summary>
public sealed record ChannelInput(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("kind")] ChannelKind? Kind,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("secret")] string? Secret,
    [property: JsonPropertyName("sensors")] IReadOnlyList<string>? Sensors,
    [property: JsonPropertyName("events")] IReadOnlyList<NotificationEventKind>? Events,
    [property: JsonPropertyName("email")] EmailSettings? Email);
