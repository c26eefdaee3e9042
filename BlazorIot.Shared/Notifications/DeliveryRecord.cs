using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Notifications;

/// <summary>One message of a channel's delivery log: the events it carries and how sending it went.</summary>
public sealed record DeliveryRecord(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("created")] DateTimeOffset Created,
    [property: JsonPropertyName("events")] IReadOnlyList<NotificationEvent> Events,
    [property: JsonPropertyName("test")] bool Test,
    [property: JsonPropertyName("status")] DeliveryStatus Status,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("lastAttempt")] DateTimeOffset? LastAttempt,
    [property: JsonPropertyName("nextAttempt")] DateTimeOffset? NextAttempt,
    [property: JsonPropertyName("lastError")] string? LastError);
