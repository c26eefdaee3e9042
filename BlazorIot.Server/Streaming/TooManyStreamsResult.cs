using System.Globalization;
using BlazorIot.Server.Ingest;

namespace BlazorIot.Server.Streaming;

/// <summary>503 with <c>Retry-After</c>: the server holds as many streams as it was told to; EventSource retries by itself.</summary>
public sealed class TooManyStreamsResult(int retryAfterSeconds) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Too many open streams.",
            "The server holds as many live streams as it is configured to; try again shortly.").ExecuteAsync(httpContext);
    }

    public static bool Reached(HttpContext context, StreamingOptions options) =>
        context.RequestServices.GetRequiredService<Live.SensorHub>().StreamCount >= options.MaxSubscribers;
}
