using System.Globalization;
using System.Threading.RateLimiting;
using BlazorIot.Server.Ingest;
using Microsoft.AspNetCore.RateLimiting;

namespace BlazorIot.Server.Security;

/// <summary>The answer every rate limit of ours gives: 429, <c>Retry-After</c> in whole seconds from the lease, and problem details.</summary>
public static class RateLimitRejection
{
    public static Task WriteAsync(OnRejectedContext rejected, TimeSpan retryAfterWhenUnknown, string title, string detail)
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : retryAfterWhenUnknown;
        rejected.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, title, detail).ExecuteAsync(rejected.HttpContext);
    }
}
