using System.Globalization;
using BlazorIot.Server.Ingest;
using BlazorIot.Shared.Readings;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Streaming;

/// <summary>The resumable reading stream, <c>GET /api/stream</c>.</summary>
public static class StreamEndpoints
{
    public static IEndpointRouteBuilder MapReadingStream(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/stream", Connect)
            .RequireAuthorization(Security.ViewerSignIn.Policy)
            .WithTags("Streaming")
            .WithName("ReadingStream")
            .WithSummary("Server-sent events: one 'reading' event per stored reading, resumable with Last-Event-ID.")
            .WithDescription("sensor may repeat (no sensor: all). Last-Event-ID (header) or lastEventId (query, for a first connection) replays what was missed, then continues live. "
                + "'event: reset' means the asked id is no longer kept; the current windows follow.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return endpoints;
    }

    internal static Results<ReadingStreamResult, ValidationProblem, TooManyStreamsResult> Connect(
        HttpRequest request, string[]? sensor, string? lastEventId, IOptions<StreamingOptions> options)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var invalid = (sensor ?? []).Where(s => !SensorId.IsValid(s)).ToArray();
        if (invalid.Length > 0)
        {
            errors["sensor"] = [$"Sensor ids match {SensorId.Pattern}."];
        }
        var resumeFrom = request.Headers["Last-Event-ID"].FirstOrDefault() ?? lastEventId;
        long? after = null;
        if (!string.IsNullOrEmpty(resumeFrom))
        {
            if (long.TryParse(resumeFrom, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                after = parsed;
            }
            else
            {
                errors["lastEventId"] = ["The last event id is a sequence id: a whole number."];
            }
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }
        if (TooManyStreamsResult.Reached(request.HttpContext, options.Value))
        {
            return new TooManyStreamsResult(5);
        }
        IReadOnlySet<string>? filter = sensor is { Length: > 0 } ? sensor.ToHashSet(StringComparer.Ordinal) : null;
        return new ReadingStreamResult(filter, after, options.Value);
    }
}
