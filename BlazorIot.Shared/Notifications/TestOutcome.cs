using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Notifications;

/// <summary>What the receiver said to a test notification: its HTTP status (or SMTP reply code) and the start of its answer.</summary>
public sealed record TestOutcome(
    [property: JsonPropertyName("delivered")] bool Delivered,
    [property: JsonPropertyName("status")] int? Status,
    [property: JsonPropertyName("answer")] string? Answer,
    [property: JsonPropertyName("error")] string? Error);
