using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorIot.Server.Ingest;

/// <summary>The RFC 7807 answers the API gives, worded once.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult Problem(int status, string title, string? detail = null) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);

    public static ProblemHttpResult StoreUnavailable() =>
        Problem(StatusCodes.Status503ServiceUnavailable, "The readings could not be stored.", "Nothing of this request was stored; send it again.");

    public static ProblemHttpResult UnknownSensor(string id) =>
        Problem(StatusCodes.Status404NotFound, "No such sensor.", $"Sensor '{id}' has no readings and no description.");

    public static ValidationProblem Invalid(Dictionary<string, string[]> errors, string title = "The request is not valid.") =>
        TypedResults.ValidationProblem(errors, title: title);
}
