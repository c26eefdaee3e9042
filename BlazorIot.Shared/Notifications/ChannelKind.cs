using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Notifications;

/// <summary>Where a channel sends: each kind has its own message shape.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChannelKind>))]
public enum ChannelKind
{
    /// <summary>Our own JSON, signed with the channel's secret.</summary>
    [JsonStringEnumMemberName("webhook")]
    Webhook,

    /// <summary>A Slack incoming webhook (its URL is the secret).</summary>
    [JsonStringEnumMemberName("slack")]
    Slack,

    /// <summary>A Discord webhook (its URL is the secret).</summary>
    [JsonStringEnumMemberName("discord")]
    Discord,

    /// <summary>An ntfy topic URL: plain text with Title, Priority and Tags headers; the secret, when set, is its access token.</summary>
    [JsonStringEnumMemberName("ntfy")]
    Ntfy,

    /// <summary>E-mail through an SMTP server (<see cref="EmailSettings"/>); the secret is the SMTP password.</summary>
    [JsonStringEnumMemberName("email")]
    Email,
}
