namespace BlazorIot.Server.Security;

/// <summary>
/// Ingest requests per device key (or, without one, per client address), as the framework's token
/// buckets: <c>Ingest:RequestsPerSecond</c> sustained, <c>Ingest:Burst</c> at once, one bucket per
/// key or address across every ingest route. Over the limit: 429 with problem details and
/// <c>Retry-After</c>.
/// </summary>
/// <remarks>
/// The limit is an endpoint filter on the ingest routes rather than the rate-limiting middleware, so
/// the original device's route can short-circuit the middleware (none of it applies to a device's
/// GET) and still share its buckets with <c>/api/readings</c>.
/// </remarks>
public static class IngestRateLimits
{
    public static IServiceCollection AddIngestRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<IngestRateLimiter>();
        return services;
    }

    /// <summary>Counts the route's requests against their key's or address's bucket, before the handler reads anything.</summary>
    public static TBuilder RequireIngestRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, IngestRateLimitFilter>();
}
