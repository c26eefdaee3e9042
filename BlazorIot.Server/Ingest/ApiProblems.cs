using System.Globalization;
using BlazorIot.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorIot.Server.Ingest;

/// <summary>The RFC 7807 answers the API gives, worded once.</summary>
public static class ApiProblems
{
    /// <summary>
    /// What a 503 from the store asks devices to wait: long enough that a store that cannot write
    /// (a full disk, a lost file) is not hammered, short enough that nothing waits long once it can.
    /// </summary>
    public static readonly TimeSpan StoreRetryAfter = TimeSpan.FromSeconds(5);

    public static ProblemHttpResult Problem(int status, string title, string? detail = null) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);

    /// <summary>503 with <c>Retry-After</c>; the detail says what became of the request's readings.</summary>
    public static ProblemHttpResult StoreUnavailable(HttpResponse response, StoreUnavailableException failure)
    {
        response.Headers.RetryAfter = ((int)StoreRetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return Problem(StatusCodes.Status503ServiceUnavailable, "The readings could not be stored.", failure.Message);
    }

    public static ProblemHttpResult UnknownSensor(string id) =>
        Problem(StatusCodes.Status404NotFound, "No such sensor.", $"Sensor '{id}' has no readings and no description.");

    public static ValidationProblem Invalid(Dictionary<string, string[]> errors, string title = "The request is not valid.") =>
        TypedResults.ValidationProblem(errors, title: title);
}
