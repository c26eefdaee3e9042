using System.Globalization;
using BlazorIot.Server.Ingest;
using BlazorIot.Server.Security;
using BlazorIot.Server.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace BlazorIot.Server.Import;

/// <summary><c>POST /api/sensors/{id}/import</c>: a CSV file of readings into a sensor's history.</summary>
public static class ImportEndpoints
{
    public static IEndpointRouteBuilder MapImportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // The body is described for OpenAPI by hand: Accepts metadata would make routing answer another
        // content type with a bare 415 before the handler could say what to send.
        endpoints.MapPost("/api/sensors/{id}/import", ImportAsync)
            .RequireAuthorization(AdminAccess.Policy)
            .WithTags("Sensors")
            .WithName("ImportReadings")
            .WithSummary("Imports a CSV file of readings (timestamp,value[,id], or our own export) into a sensor's history.")
            .WithDescription("Body: the file, Content-Type: text/csv. The whole file is checked first: with any bad line nothing is stored and the answer lists "
                + "the first 20 bad lines by number. Rows the sensor already has are skipped, so sending a file again stores nothing new. "
                + "Imported readings are history: they are not sent to live streams.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                    },
                };
                return Task.CompletedTask;
            })
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    internal static async Task<Results<Ok<ImportSummary>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        string id, HttpRequest request, CsvImport import, CancellationToken cancellationToken)
    {
        if (ReadingFields.CheckSensor(id) is { } idError)
        {
            return ApiProblems.Invalid(new() { ["id"] = [idError] });
        }
        if (!IsCsv(request.ContentType))
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "The body must be a CSV file.",
                "Send it with Content-Type: text/csv (UTF-8).");
        }
        if (request.ContentLength > import.MaxBytes)
        {
            return TooLarge(import.MaxBytes);
        }
        // Kestrel's limit for every other route is far smaller; this one reads up to Import:MaxBytes.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = import.MaxBytes;
        }

        CsvImportResult result;
        try
        {
            result = await import.ImportAsync(id, request.BodyReader, cancellationToken);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(import.MaxBytes);
        }
        catch (StoreUnavailableException failure)
        {
            return ApiProblems.StoreUnavailable(request.HttpContext.Response, failure);
        }
        var check = result.Check;
        if (check.TooLarge)
        {
            return TooLarge(import.MaxBytes);
        }
        if (check.BadLineCount > 0)
        {
            return BadLines(check);
        }
        if (result.Summary is not { } summary)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "The file holds no readings.", NoReadings(check));
        }
        return TypedResults.Ok(summary);
    }

    /// <summary>Why a file without bad lines held nothing to store.</summary>
    public static string NoReadings(ImportFileCheck check) =>
        check.HasHeader ? "It has a header line but no rows under it." : "Send rows of timestamp,value[,id], with or without a header line.";

    // text/csv, with no charset or a UTF-8 one (ASCII is UTF-8).
    private static bool IsCsv(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && type.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)
        && (type.Charset.Value is null
            || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            || type.Charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase));

    private static ProblemHttpResult BadLines(ImportFileCheck check) =>
        TypedResults.Problem(
            title: "Some lines of the file are not valid; nothing was stored.",
            detail: string.Create(CultureInfo.InvariantCulture,
                $"{check.BadLineCount} bad line{(check.BadLineCount == 1 ? "" : "s")}; {(check.BadLineCount > ImportFileCheck.Listed ? $"the first {ImportFileCheck.Listed} are" : "all are")} listed under 'lines'. Fix them and send the file again."),
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?>
            {
                ["lines"] = check.BadLines,
                ["badLineCount"] = check.BadLineCount,
            });

    private static ProblemHttpResult TooLarge(long maxBytes) =>
        ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "The file is too large.",
            string.Create(CultureInfo.InvariantCulture, $"An import takes at most {maxBytes} bytes (Import:MaxBytes). Split the file."));
}
