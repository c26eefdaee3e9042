using System.Globalization;
using System.Threading.RateLimiting;
using BlazorIot.Server.Ingest;

namespace BlazorIot.Server.Security;

/// <summary>
/// Ingest requests per device key (or, without one, per client address), as token buckets:
/// <c>Ingest:RequestsPerSecond</c> sustained, <c>Ingest:Burst</c> at once. Over the limit: 429
/// with problem details and <c>Retry-After</c>.
/// </summary>
public static class IngestRateLimits
{
    public const string Policy = "ingest";

    public static IServiceCollection AddIngestRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<IngestBuckets>();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, context =>
            {
                var buckets = context.RequestServices.GetRequiredService<IngestBuckets>();
                return RateLimitPartition.Get(PartitionOf(context), partition => new SharedBucketLimiter(buckets, partition));
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                rejected.HttpContext.RequestServices.GetRequiredService<Operations.BlazorIotMetrics>().Rejected("rate_limited");
                var response = rejected.HttpContext.Response;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "Too many ingest requests.",
                    "Slow down, or send readings in batches (POST /api/readings takes up to 1000 at once).").ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }

    // A key's id (not its secret) names its bucket; keyless requests share their address's bucket.
    private static string PartitionOf(HttpContext context)
    {
        return DeviceKeyFormat.TryParse(IngestGate.PresentedKey(context.Request), out var id, out _)
            ? "key:" + id
            : AddressPartition(context.Connection.RemoteIpAddress);
    }

    /// <summary>The bucket of a request without a key.</summary>
    public static string AddressPartition(System.Net.IPAddress? address) => "ip:" + (address?.ToString() ?? "unknown");
}
