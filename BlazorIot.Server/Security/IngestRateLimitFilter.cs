namespace BlazorIot.Server.Security;

/// <summary>Refuses an ingest request whose bucket is empty (429), before the handler reads its body or checks its key.</summary>
public sealed class IngestRateLimitFilter(IngestRateLimiter limiter) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        // A token bucket's lease holds nothing: the token is spent whether or not it is disposed.
        using var lease = limiter.Acquire(context.HttpContext);
        if (lease.IsAcquired)
        {
            return next(context);
        }
        return ValueTask.FromResult<object?>(RateLimitRejection.Answer(context.HttpContext, lease, TimeSpan.FromSeconds(1), "Too many ingest requests.",
            "Slow down, or send readings in batches (POST /api/readings takes up to 1000 at once)."));
    }
}
