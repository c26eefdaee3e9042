using System.Text.Json.Serialization;
using BlazorIot.Shared.Notifications;

namespace BlazorIot.Server.Notifications;

/// <summary>The body of a webhook message. <see cref="Id"/> is the message's id: the same on every retry, so a receiver can drop a repeat.</summary>
public sealed record WebhookPayload(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("test")] bool Test,
    [property: JsonPropertyName("sent")] DateTimeOffset Sent,
    [property: JsonPropertyName("events")] IReadOnlyList<NotificationEvent> Events);
