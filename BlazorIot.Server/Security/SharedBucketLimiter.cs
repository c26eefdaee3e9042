using System.Threading.RateLimiting;

namespace BlazorIot.Server.Security;

/// <summary>One partition of <see cref="IngestBuckets"/> as the rate-limiting middleware sees it; disposing it leaves the shared bucket alone.</summary>
internal sealed class SharedBucketLimiter(IngestBuckets buckets, string partition) : RateLimiter
{
    // The middleware drops its limiter for a partition once it reports idle for a while.
    public override TimeSpan? IdleDuration => buckets.InUse(partition) ? null : TimeSpan.MaxValue;

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        buckets.TryTake(partition, permitCount) ? IngestLease.Granted : IngestLease.Refused;

    // The buckets never queue: an acquire is answered at once.
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));
}
