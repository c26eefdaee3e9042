namespace BlazorIot.Server.Notifications;

/// <summary>The one outbound HTTP client every HTTP channel sends through, with the outbound rules applied.</summary>
public static class NotificationHttp
{
    /// <summary>The <see cref="IHttpClientFactory"/> name of that client.</summary>
    public const string ClientName = "notifications";
}
