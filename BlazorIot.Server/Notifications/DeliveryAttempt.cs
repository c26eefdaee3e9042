namespace BlazorIot.Server.Notifications;

/// <summary>
/// How one try at sending a message went. <see cref="Status"/> is the HTTP status or SMTP reply
/// code; <see cref="Answer"/> the start of what the receiver said (capped). A failure is retried
/// unless <see cref="Permanent"/>; <see cref="RetryAfter"/> is the receiver's own wait, when it gave one.
/// </summary>
public sealed record DeliveryAttempt(bool Delivered, int? Status, string? Answer, string? Error, TimeSpan? RetryAfter, bool Permanent)
{
    public static DeliveryAttempt Success(int? status, string? answer) => new(true, status, answer, null, null, false);
}
