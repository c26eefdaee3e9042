using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Notifications;

/// <summary>How an e-mail channel reaches its SMTP server; the password is the channel's secret.</summary>
public sealed record EmailSettings(
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("startTls")] bool StartTls,
    [property: JsonPropertyName("user")] string? User,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] IReadOnlyList<string> To);
