using System.Globalization;
using BlazorIot.Shared.Readings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorIot.Server.Ingest;

/// <summary>The original lab's write route, byte-compatible: <c>GET /luminosity/{int}</c> answers 200 with an empty body.</summary>
public static class LegacyIngestEndpoints
{
    public static IEndpointRouteBuilder MapLegacyIngest(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/luminosity/{value}", Ingest)
            .WithName("LegacyIngest")
            .WithSummary("Stores one luminosity reading (the original lab device's request).")
            .ExcludeFromDescription();
        return endpoints;
    }

    internal static Results<Ok, ProblemHttpResult> Ingest(string value, ReadingIngest ingest)
    {
        if (!TryParseLegacyInteger(value, out var parsed))
        {
            return TypedResults.Problem(
                title: "The value is not an integer.",
                detail: $"'/luminosity/{value}' takes a whole number such as 412 or -36.",
                statusCode: StatusCodes.Status400BadRequest);
        }
        ingest.Accept(SensorId.Legacy, parsed);
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
