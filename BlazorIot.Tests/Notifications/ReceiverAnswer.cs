namespace BlazorIot.Tests.Notifications;

/// <summary>
/// What the receiver does with one request: answer <see cref="Status"/> (with Retry-After or Location), or drop the
/// connection; when <see cref="Until"/> is given, only once it completes (a slow receiver).
/// </summary>
public sealed record ReceiverAnswer(int Status, TimeSpan? RetryAfter = null, bool Abort = false, string? Location = null, Task? Until = null)
{
    public static readonly ReceiverAnswer Ok = new(200);
    public static readonly ReceiverAnswer Drop = new(0, Abort: true);
}
