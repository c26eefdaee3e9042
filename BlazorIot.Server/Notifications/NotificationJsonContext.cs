using System.Text.Json.Serialization;
using BlazorIot.Shared.Notifications;

namespace BlazorIot.Server.Notifications;

/// <summary>The JSON of the columns that hold lists (events, sensors, e-mail settings) and of the webhook's body.</summary>
[JsonSerializable(typeof(List<NotificationEvent>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(List<NotificationEventKind>))]
[JsonSerializable(typeof(EmailSettings))]
[JsonSerializable(typeof(WebhookPayload))]
internal sealed partial class NotificationJsonContext : JsonSerializerContext;
