using BlazorIot.Shared.Readings;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Streaming;

/// <summary>
/// The original lab's push route, <c>GET /connexion</c>: every reading of a sensor sends
/// <c>data: {"labels":[...],"data":[...]}</c> with its newest ten values.
/// </summary>
public static class LegacyStreamEndpoints
{
    public static IEndpointRouteBuilder MapLegacyStream(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/connexion", Connect)
            .RequireAuthorization(Security.ViewerSignIn.Policy)
            .WithName("LegacyStream")
            .WithSummary("Server-sent snapshots of one sensor's newest ten readings (the original page's stream).")
            .WithTags("Legacy")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return endpoints;
    }

    internal static Results<SnapshotStreamResult, ProblemHttpResult, TooManyStreamsResult> Connect(string? sensor, HttpContext context, IOptions<StreamingOptions> options)
    {
        sensor ??= SensorId.Legacy;
        if (!SensorId.IsValid(sensor))
        {
            return TypedResults.Problem(
                title: "The sensor id is not valid.",
                detail: $"Sensor ids match {SensorId.Pattern}.",
                statusCode: StatusCodes.Status400BadRequest);
        }
        if (TooManyStreamsResult.Reached(context, options.Value))
        {
            return new TooManyStreamsResult(5);
        }
        return new SnapshotStreamResult(sensor, options.Value);
    }
}
