namespace BlazorIot.Server.Operations;

/// <summary>Counts every refused ingest request by reason, whichever ingest route refused it.</summary>
public sealed class IngestOutcomeFilter(BlazorIotMetrics metrics) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        // Typed handlers return a Results<...> union; the status is on the result inside.
        var outcome = result is INestedHttpResult nested ? nested.Result : result;
        if (outcome is IStatusCodeHttpResult { StatusCode: { } status } && status >= 400)
        {
            metrics.Rejected(status switch
            {
                401 => "unauthorized",
                403 => "forbidden",
                413 => "too_large",
                415 => "unsupported_media_type",
                429 => "rate_limited",
                503 => "store_unavailable",
                _ => "invalid",
            });
        }
        return result;
    }
}
