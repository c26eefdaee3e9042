using System.Threading.RateLimiting;
using BlazorIot.Server.Ingest;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Security;

/// <summary>The framework's partitioned token-bucket limiter that every ingest route draws from.</summary>
/// <remarks>
/// A partitioned token bucket is refilled by the partitioned limiter's own 100 ms heartbeat, in
/// proportion to the time elapsed (<c>TokensPerPeriod / ReplenishmentPeriod</c>, fractions kept), so
/// the sustained rate is exactly <c>RequestsPerSecond</c> whatever the period. The period only sets
/// the lease's <c>RetryAfter</c>, which is one period: the next token is due within
/// <c>1 / RequestsPerSecond</c> plus one heartbeat, so the period is the whole seconds that cover
/// that (1 s, or 2 s at 1 request per second). Idle buckets are dropped by the framework after 10 s.
/// </remarks>
public sealed class IngestRateLimiter : IDisposable
{
    // How often the framework's partitioned limiter refills its buckets.
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(100);

    private readonly PartitionedRateLimiter<Partition> limiter;

    public IngestRateLimiter(IOptions<IngestOptions> options)
    {
        var bucket = BucketOf(options.Value.RequestsPerSecond, options.Value.Burst);
        limiter = PartitionedRateLimiter.Create<Partition, Partition>(partition => RateLimitPartition.GetTokenBucketLimiter(partition, _ => bucket));
    }

    /// <summary>Takes one token from the request's bucket, without waiting.</summary>
    public RateLimitLease Acquire(HttpContext context) => limiter.AttemptAcquire(PartitionOf(context));

    /// <summary>Takes one token from the bucket of a key (by its id) or, without a key, of an address: the same buckets HTTP draws from.</summary>
    public RateLimitLease Acquire(string? keyId, System.Net.IPAddress? address) =>
        limiter.AttemptAcquire(keyId is not null ? new Partition(keyId, null) : new Partition(null, address));

    public void Dispose() => limiter.Dispose();

    // The bucket of one key or address: burst at most, refilled at perSecond.
    private static TokenBucketRateLimiterOptions BucketOf(int perSecond, int burst)
    {
        var seconds = (int)Math.Ceiling(1.0 / perSecond + Heartbeat.TotalSeconds);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = (int)Math.Min(int.MaxValue, (long)perSecond * seconds),
            ReplenishmentPeriod = TimeSpan.FromSeconds(seconds),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    // A key's id (not its secret) names its bucket; keyless requests share their address's bucket.
    // A value key, so the hot path builds no string for it.
    private static Partition PartitionOf(HttpContext context) =>
        DeviceKeyFormat.TryParse(IngestGate.PresentedKey(context.Request), out var id, out _)
            ? new Partition(id, null)
            : new Partition(null, context.Connection.RemoteIpAddress);

    private readonly record struct Partition(string? KeyId, System.Net.IPAddress? Address);
}
