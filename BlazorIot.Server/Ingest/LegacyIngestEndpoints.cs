using System.Globalization;
using BlazorIot.Server.Security;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorIot.Server.Ingest;

/// <summary>The original lab's write route, byte-compatible: <c>GET /luminosity/{int}</c> answers 200 with an empty body.</summary>
public static class LegacyIngestEndpoints
{
    public static IEndpointRouteBuilder MapLegacyIngest(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/luminosity/{value}", IngestAsync)
            .WithName("LegacyIngest")
            .WithTags("Legacy")
            .AddEndpointFilter<Operations.IngestOutcomeFilter>()
            .RequireIngestRateLimit()
            .WithSummary("Stores one luminosity reading (the original lab device's request); 200 with an empty body.")
            // Routing runs it at once: none of the middleware after routing (sign-in, authorization,
            // antiforgery, error pages) applies to a device's GET, which answers for itself.
            .ShortCircuit();
        return endpoints;
    }

    internal static async Task<Results<Ok, ProblemHttpResult>> IngestAsync(
        string value, HttpRequest request, IngestGate gate, ReadingIngest ingest, CancellationToken cancellationToken)
    {
        var key = await gate.CheckAsync(request, cancellationToken);
        if (!key.Passed)
        {
            return IngestGate.Refused(key);
        }
        if (!key.Allows(SensorId.Legacy))
        {
            return IngestGate.NotForSensor(SensorId.Legacy);
        }
        if (!TryParseLegacyInteger(value, out var parsed))
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "The value is not an integer.",
                $"'/luminosity/{value}' takes a whole number such as 412 or -36.");
        }
        try
        {
            await ingest.AcceptAsync(new ReadingInput(SensorId.Legacy, parsed), cancellationToken);
        }
        catch (StoreUnavailableException failure)
        {
            return ApiProblems.StoreUnavailable(request.HttpContext.Response, failure);
        }
        return TypedResults.Ok();
    }

    // The original route matched -?\d+ exactly: no '+', no spaces, no decimal point.
    private static bool TryParseLegacyInteger(string text, out long value)
    {
        value = 0;
        var digits = text.AsSpan(text.StartsWith('-') ? 1 : 0);
        return !digits.IsEmpty
            && !digits.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
