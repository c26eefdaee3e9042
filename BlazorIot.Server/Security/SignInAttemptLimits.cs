using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Security;

/// <summary>
/// Sign-in attempts per client address, as a token bucket of <c>Dashboard:SignInAttemptsPerMinute</c>,
/// so a password cannot be guessed at network speed. Over it: 429 with problem details and <c>Retry-After</c>.
/// </summary>
public sealed class SignInAttemptLimits(IOptions<ViewerOptions> options) : IRateLimiterPolicy<string>
{
    public const string Policy = "sign-in";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (rejected, cancellationToken) =>
        await RateLimitRejection.Answer(rejected.HttpContext, rejected.Lease, TimeSpan.FromMinutes(1), "Too many sign-in attempts.", "Wait a minute before trying again.")
            .ExecuteAsync(rejected.HttpContext);

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var perMinute = options.Value.SignInAttemptsPerMinute;
        return RateLimitPartition.GetTokenBucketLimiter(httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = perMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }
}
