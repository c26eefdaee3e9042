using System.ComponentModel.DataAnnotations;

namespace BlazorIot.Server.Notifications;

public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>How long a message that keeps failing is tried again (from when it was created) before it is marked failed.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The wait before the first retry; each retry after it waits up to twice as long (with jitter), up to <see cref="LongestRetry"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FirstRetry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two tries (a receiver's own Retry-After may ask for longer).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LongestRetry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one request to a receiver may take, answer included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A channel sends at most one message per window; the events of a storm are grouped into it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan GroupWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Refuses to connect to loopback, private, link-local, CGNAT, unspecified and multicast addresses, checked on the
    /// address actually connected to: on for a server whose admins should not reach the internal network through it.
    /// </summary>
    public bool RefusePrivateAddresses { get; set; }

    /// <summary>How many messages each channel's delivery log keeps; older delivered or failed ones are removed.</summary>
    [Range(10, 100_000)]
    public int LogPerChannel { get; set; } = 500;
}
