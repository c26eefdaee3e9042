using System.Globalization;
using System.Threading.RateLimiting;
using BlazorIot.Server.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorIot.Server.Security;

/// <summary>The answer every rate limit of ours gives: 429, <c>Retry-After</c> in whole seconds from the lease, and problem details.</summary>
public static class RateLimitRejection
{
    public static ProblemHttpResult Answer(HttpContext context, RateLimitLease lease, TimeSpan retryAfterWhenUnknown, string title, string detail)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : retryAfterWhenUnknown;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, title, detail);
    }
}
