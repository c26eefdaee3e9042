namespace BlazorIot.Server.Notifications;

/// <summary>When a failed message is tried again: exponential backoff with full jitter, never sooner than the receiver asked.</summary>
public static class RetryPlan
{
    /// <summary>
    /// The wait after the <paramref name="attempts"/>th failed try: a random time up to
    /// <c>firstRetry·2^(attempts-1)</c> (capped at <paramref name="longestRetry"/>), or the receiver's
    /// <paramref name="retryAfter"/> when that is longer. The jitter spreads the retries of many messages apart.
    /// </summary>
    public static TimeSpan Wait(int attempts, TimeSpan firstRetry, TimeSpan longestRetry, TimeSpan? retryAfter, double random)
    {
        var doublings = Math.Clamp(attempts - 1, 0, 30);
        var ceiling = TimeSpan.FromTicks((long)Math.Min(longestRetry.Ticks, firstRetry.Ticks * Math.Pow(2, doublings)));
        var jittered = TimeSpan.FromTicks((long)(ceiling.Ticks * Math.Clamp(random, 0, 1)));
        return retryAfter is { } asked && asked > jittered ? asked : jittered;
    }
}
