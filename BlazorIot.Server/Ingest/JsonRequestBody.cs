using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorIot.Server.Ingest;

/// <summary>
/// A request body read as a JSON document rather than bound, so a field of the wrong type is named like any other
/// mistake; a body that is not JSON is a 415 or 400 problem.
/// </summary>
public static class JsonRequestBody
{
    public static async Task<(JsonDocument? Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType())
        {
            return (null, ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "The body must be JSON.", "Send it with Content-Type: application/json."));
        }
        try
        {
            return (await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken), null);
        }
        catch (JsonException exception)
        {
            return (null, ApiProblems.Problem(StatusCodes.Status400BadRequest, "The body is not valid JSON.", exception.Message));
        }
    }
}
