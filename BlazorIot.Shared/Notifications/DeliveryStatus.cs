using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Notifications;

[JsonConverter(typeof(JsonStringEnumConverter<DeliveryStatus>))]
public enum DeliveryStatus
{
    /// <summary>Waiting in the outbox: not tried yet, or tried and due again.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>The receiver accepted it.</summary>
    [JsonStringEnumMemberName("delivered")]
    Delivered,

    /// <summary>Given up: refused for good, or still failing when its retry time ran out.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}
