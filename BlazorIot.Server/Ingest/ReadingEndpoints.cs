using System.Globalization;
using System.Text.Json;
using BlazorIot.Server.Security;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Ingest;

/// <summary>The JSON ingest API: <c>POST /api/readings</c>, and a GET form for devices that can only send GET.</summary>
public static class ReadingEndpoints
{
    public static IEndpointRouteBuilder MapReadingIngest(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Ingest").AddEndpointFilter<Operations.IngestOutcomeFilter>().RequireIngestRateLimit();
        api.MapPost("/readings", PostAsync)
            .WithName("PostReadings")
            .WithSummary("Stores one reading or an array of readings.")
            .WithDescription("Body: {\"sensor\":\"luminosity\",\"value\":412.5,\"timestamp\":\"2026-11-28T17:02:01Z\",\"id\":17} or an array of such objects. "
                + "timestamp (ISO 8601 with offset, or Unix seconds or milliseconds) and id (the device's own sequence number, for idempotent retries) are optional. "
                + "Answers after the readings are durably stored.")
            .Accepts<JsonElement>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/sensors/{id}/ingest", IngestByGetAsync)
            .WithName("IngestByGet")
            .WithSummary("Stores one reading given in the query string (for devices that can only send GET).")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    internal static async Task<Results<Ok<IngestResult>, ValidationProblem, ProblemHttpResult>> PostAsync(
        HttpRequest request, IngestGate gate, ReadingIngest ingest, IOptions<IngestOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = await gate.CheckAsync(request, cancellationToken);
        if (!key.Passed)
        {
            return IngestGate.Refused(key);
        }
        var limits = options.Value;
        if (!request.HasJsonContentType())
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "The body must be JSON.", "Send it with Content-Type: application/json.");
        }
        if (request.ContentLength > limits.MaxBodyBytes)
        {
            return TooLarge(limits.MaxBodyBytes);
        }
        var body = await ReadAtMostAsync(request.Body, limits.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TooLarge(limits.MaxBodyBytes);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "The body is not valid JSON.", exception.Message);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            {
                return ApiProblems.Problem(StatusCodes.Status400BadRequest, "The body must be a reading object or an array of readings.");
            }
            if (root.ValueKind == JsonValueKind.Array)
            {
                var count = root.GetArrayLength();
                if (count == 0)
                {
                    return ApiProblems.Problem(StatusCodes.Status400BadRequest, "The batch is empty.", "Send at least one reading.");
                }
                if (count > limits.MaxBatch)
                {
                    return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "The batch is too large.",
                        string.Create(CultureInfo.InvariantCulture, $"A batch holds at most {limits.MaxBatch} readings; this one has {count}. Split it."));
                }
            }
            var (readings, errors) = ReadingPayload.Parse(root, time.GetUtcNow());
            if (errors.Count > 0)
            {
                return ApiProblems.Invalid(errors, "Some readings are not valid; none was stored.");
            }
            if (readings.FirstOrDefault(r => !key.Allows(r.Sensor)) is { } forbidden)
            {
                return IngestGate.NotForSensor(forbidden.Sensor);
            }
            return await StoreAsync(ingest, readings, request.HttpContext.Response, cancellationToken);
        }
    }

    internal static async Task<Results<Ok<IngestResult>, ValidationProblem, ProblemHttpResult>> IngestByGetAsync(
        string id, string? value, string? timestamp, string? deviceId, HttpRequest request, IngestGate gate, ReadingIngest ingest, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = await gate.CheckAsync(request, cancellationToken);
        if (!key.Passed)
        {
            return IngestGate.Refused(key);
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (ReadingFields.CheckSensor(id) is { } sensorError)
        {
            errors["id"] = [sensorError];
        }
        var number = 0.0;
        if (string.IsNullOrEmpty(value))
        {
            errors["value"] = ["The value is required: ?value=412.5"];
        }
        else if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number) || ReadingFields.CheckValue(number) is not null)
        {
            errors["value"] = ["The value must be a finite number such as 412.5 or -3."];
        }
        DateTimeOffset? at = null;
        if (!string.IsNullOrEmpty(timestamp))
        {
            if (ReadingFields.ParseTimestamp(timestamp, time.GetUtcNow(), out var parsed) is { } timestampError)
            {
                errors["timestamp"] = [timestampError];
            }
            at = parsed;
        }
        long? sequence = null;
        if (!string.IsNullOrEmpty(deviceId))
        {
            if (!long.TryParse(deviceId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedId))
            {
                errors["deviceId"] = ["The device id must be a whole number, 0 or more."];
            }
            sequence = parsedId;
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors, "The reading is not valid; it was not stored.");
        }
        if (!key.Allows(id))
        {
            return IngestGate.NotForSensor(id);
        }
        return await StoreAsync(ingest, [new ReadingInput(id, number, at, sequence)], request.HttpContext.Response, cancellationToken);
    }

    private static async Task<Results<Ok<IngestResult>, ValidationProblem, ProblemHttpResult>> StoreAsync(
        ReadingIngest ingest, IReadOnlyList<ReadingInput> readings, HttpResponse response, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await ingest.AcceptAsync(readings, cancellationToken));
        }
        catch (StoreUnavailableException failure)
        {
            return ApiProblems.StoreUnavailable(response, failure);
        }
    }

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "The body is too large.",
            string.Create(CultureInfo.InvariantCulture, $"A request body holds at most {maxBytes} bytes. Send smaller batches."));

    // Reads the whole body unless it is longer than maxBytes (then null), so a huge body is never buffered.
    private static async Task<byte[]?> ReadAtMostAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
