using System.Threading.RateLimiting;
using BlazorIot.Server.Ingest;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Security;

/// <summary>
/// Ingest requests per device key (or, without one, per client address), as the framework's token
/// buckets: <c>Ingest:RequestsPerSecond</c> sustained, <c>Ingest:Burst</c> at once. Over the limit:
/// 429 with problem details and <c>Retry-After</c>.
/// </summary>
/// <remarks>
/// A partitioned token bucket is refilled by the partitioned limiter's own 100 ms heartbeat, in
/// proportion to the time elapsed (<c>TokensPerPeriod / ReplenishmentPeriod</c>, fractions kept), so
/// the sustained rate is exactly <c>RequestsPerSecond</c> whatever the period. The period only sets
/// the lease's <c>RetryAfter</c>, which is one period: the next token is due within
/// <c>1 / RequestsPerSecond</c> plus one heartbeat, so the period is the whole seconds that cover
/// that (1 s, or 2 s at 1 request per second). Idle buckets are dropped by the framework after 10 s.
/// </remarks>
public static class IngestRateLimits
{
    public const string Policy = "ingest";

    // How often the framework's partitioned limiter refills its buckets.
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(100);

    public static IServiceCollection AddIngestRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<IngestOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(PartitionOf(context), _ => BucketOf(options.RequestsPerSecond, options.Burst));
            });
            // Only for policies without their own OnRejected (sign-in has its own, which the middleware prefers).
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                rejected.HttpContext.RequestServices.GetRequiredService<Operations.BlazorIotMetrics>().Rejected("rate_limited");
                await RateLimitRejection.WriteAsync(rejected, TimeSpan.FromSeconds(1), "Too many ingest requests.",
                    "Slow down, or send readings in batches (POST /api/readings takes up to 1000 at once).");
            };
        });
        return services;
    }

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
    private static string PartitionOf(HttpContext context) =>
        DeviceKeyFormat.TryParse(IngestGate.PresentedKey(context.Request), out var id, out _)
            ? "key:" + id
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
