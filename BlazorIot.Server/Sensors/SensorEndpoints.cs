using System.Globalization;
using System.Text.RegularExpressions;
using BlazorIot.Server.Ingest;
using BlazorIot.Server.Security;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorIot.Server.Sensors;

/// <summary>The sensor API: sensors, their readings (JSON or CSV) and aggregates; describing, renaming and deleting a sensor.</summary>
public static partial class SensorEndpoints
{
    public const int MaxJsonReadings = 100_000;
    public const int DefaultJsonReadings = 1_000;
    public const int MaxBuckets = 100_000;

    public static IEndpointRouteBuilder MapSensors(this IEndpointRouteBuilder endpoints)
    {
        var sensors = endpoints.MapGroup("/api/sensors").WithTags("Sensors").RequireAuthorization(Security.ViewerSignIn.Policy);
        sensors.MapGet("/", ListAsync).WithName("ListSensors").WithSummary("Every sensor with its name, unit, reading count and last reading.");
        sensors.MapGet("/{id}", GetAsync).WithName("GetSensor").WithSummary("One sensor.");
        sensors.MapPut("/{id}", DescribeAsync)
            .RequireAuthorization(AdminAccess.Policy)
            .WithName("DescribeSensor")
            .WithSummary("Replaces a sensor's name, unit, decimals and description (creates the sensor if needed).")
            .Accepts<SensorDescription>("application/json")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        sensors.MapPost("/{id}/rename", RenameAsync)
            .RequireAuthorization(AdminAccess.Policy)
            .WithName("RenameSensor")
            .WithSummary("Moves a sensor's readings, description, thresholds and alerts to a new id; with merge, into an existing sensor.")
            .WithDescription("Body: {\"to\":\"new-id\",\"merge\":false}. Streams of the old id end with 'event: renamed'. "
                + "A reading of the old id that arrives later starts the old id anew.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        sensors.MapDelete("/{id}", DeleteAsync)
            .RequireAuthorization(AdminAccess.Policy)
            .WithName("DeleteSensor")
            .WithSummary("Deletes a sensor with its description, thresholds and alerts; its readings are hidden at once and removed in the background.")
            .WithDescription("Streams of the sensor end with 'event: deleted'. A reading that arrives later starts the sensor anew.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        sensors.MapGet("/{id}/readings", ReadingsAsync)
            .WithName("GetReadings")
            .WithSummary("A sensor's readings in [from, to) by timestamp; JSON, or CSV with format=csv or Accept: text/csv.")
            .Produces<Reading[]>(contentType: "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        sensors.MapGet("/{id}/aggregates", AggregatesAsync)
            .WithName("GetAggregates")
            .WithSummary("min, max, avg and count per time bucket (1m, 5m, 1h, 1d, or seconds), computed in SQL.");
        sensors.MapSensorSilence();
        return endpoints;
    }

    internal static async Task<Ok<IReadOnlyList<SensorInfo>>> ListAsync(ReadingStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListSensorsAsync(cancellationToken));

    internal static async Task<Results<Ok<SensorInfo>, ValidationProblem, ProblemHttpResult>> GetAsync(string id, ReadingStore store, CancellationToken cancellationToken)
    {
        if (InvalidId(id) is { } invalid)
        {
            return invalid;
        }
        return await store.GetSensorAsync(id, cancellationToken) is { } sensor ? TypedResults.Ok(sensor) : ApiProblems.UnknownSensor(id);
    }

    // The body is read, not bound (JsonRequestBody): a wrong type is named like any other mistake.
    internal static async Task<Results<Ok<SensorInfo>, ValidationProblem, ProblemHttpResult>> DescribeAsync(
        string id, HttpRequest request, SensorAdministration sensors, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequestBody.ReadAsync(request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (ReadingFields.CheckSensor(id) is { } idError)
        {
            errors["id"] = [idError];
        }
        SensorDescription? description;
        using (body)
        {
            description = SensorDescription.Parse(body.RootElement, errors);
        }
        if (description is null || errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }
        return TypedResults.Ok(await sensors.DescribeAsync(
            id, description.Name, description.Unit, description.Decimals, description.Description, cancellationToken));
    }

    internal static async Task<Results<Ok<SensorInfo>, ValidationProblem, ProblemHttpResult>> RenameAsync(
        string id, SensorRenameRequest request, SensorAdministration sensors, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (ReadingFields.CheckSensor(id) is { } idError)
        {
            errors["id"] = [idError];
        }
        if (request.To is null)
        {
            errors["to"] = ["The new sensor id is required."];
        }
        else if (ReadingFields.CheckSensor(request.To) is { } toError)
        {
            errors["to"] = [toError];
        }
        else if (string.Equals(request.To, id, StringComparison.Ordinal))
        {
            errors["to"] = ["The new id is the sensor's id already."];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }
        var renamed = await sensors.RenameAsync(id, request.To!, request.Merge == true, cancellationToken);
        return renamed switch
        {
            { Outcome: RenameOutcome.Renamed, Sensor: { } sensor } => TypedResults.Ok(sensor),
            { Outcome: RenameOutcome.TargetExists } => ApiProblems.Problem(
                StatusCodes.Status409Conflict,
                "The new id is taken.",
                $"Sensor '{request.To}' already exists. Send \"merge\": true to merge the histories of '{id}' into it."),
            _ => ApiProblems.UnknownSensor(id),
        };
    }

    internal static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        string id, SensorAdministration sensors, CancellationToken cancellationToken)
    {
        if (InvalidId(id) is { } invalid)
        {
            return invalid;
        }
        return await sensors.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : ApiProblems.UnknownSensor(id);
    }

    internal static async Task<Results<Ok<IAsyncEnumerable<Reading>>, CsvReadingsResult, ValidationProblem, ProblemHttpResult>> ReadingsAsync(
        string id, string? from, string? to, int? limit, string? order, string? format,
        HttpRequest request, ReadingStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (start, end) = ParseRange(from, to, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, errors);
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
            || (format is null && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)));
        if (format is not null && !csv && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            errors["format"] = ["The format is json or csv."];
        }
        var maxLimit = csv ? int.MaxValue : MaxJsonReadings;
        if (limit is < 1 || limit > maxLimit)
        {
            errors["limit"] = [string.Create(CultureInfo.InvariantCulture, $"The limit is between 1 and {MaxJsonReadings} for JSON (CSV has no upper limit).")];
        }
        var newestFirst = string.Equals(order, "desc", StringComparison.OrdinalIgnoreCase);
        if (order is not null && !newestFirst && !string.Equals(order, "asc", StringComparison.OrdinalIgnoreCase))
        {
            errors["order"] = ["The order is asc or desc."];
        }
        if (ReadingFields.CheckSensor(id) is { } idError)
        {
            errors["id"] = [idError];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }
        if (await store.GetSensorAsync(id, cancellationToken) is null)
        {
            return ApiProblems.UnknownSensor(id);
        }
        var rows = store.QueryAsync(id, start, end, csv ? limit : limit ?? DefaultJsonReadings, newestFirst, cancellationToken);
        return csv ? new CsvReadingsResult(rows, $"{id}.csv") : TypedResults.Ok(rows);
    }

    internal static async Task<Results<Ok<IReadOnlyList<AggregateBucket>>, ValidationProblem, ProblemHttpResult>> AggregatesAsync(
        string id, string? from, string? to, string? bucket, ReadingStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var (start, end) = ParseRange(from, to, now.AddDays(-1), now, errors);
        if (!TryParseBucket(bucket ?? "1h", out var size))
        {
            errors["bucket"] = ["The bucket is 1m, 5m, 1h, 1d, or a number of seconds (with an optional s, m, h or d suffix)."];
        }
        else if (end > start && (end - start).Ticks / size.Ticks > MaxBuckets)
        {
            errors["bucket"] = [string.Create(CultureInfo.InvariantCulture, $"That range holds more than {MaxBuckets} buckets of this size: use a larger bucket or a shorter range.")];
        }
        if (ReadingFields.CheckSensor(id) is { } idError)
        {
            errors["id"] = [idError];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }
        if (await store.GetSensorAsync(id, cancellationToken) is null)
        {
            return ApiProblems.UnknownSensor(id);
        }
        return TypedResults.Ok(await store.AggregateAsync(id, start, end, size, cancellationToken));
    }

    internal static bool TryParseBucket(string text, out TimeSpan size)
    {
        size = default;
        var match = BucketPattern().Match(text);
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount is < 1 or > 3_650_000)
        {
            return false;
        }
        size = match.Groups[2].Value switch
        {
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            "d" => TimeSpan.FromDays(amount),
            _ => TimeSpan.FromSeconds(amount),
        };
        return size <= TimeSpan.FromDays(3650);
    }

    private static (DateTimeOffset From, DateTimeOffset To) ParseRange(
        string? from, string? to, DateTimeOffset defaultFrom, DateTimeOffset defaultTo, Dictionary<string, string[]> errors)
    {
        var start = defaultFrom;
        var end = defaultTo;
        if (from is not null && !ReadingFields.TryParseInstant(from, out start))
        {
            errors["from"] = ["from is an ISO 8601 time with an offset, or Unix seconds or milliseconds."];
        }
        if (to is not null && !ReadingFields.TryParseInstant(to, out end))
        {
            errors["to"] = ["to is an ISO 8601 time with an offset, or Unix seconds or milliseconds."];
        }
        if (!errors.ContainsKey("from") && !errors.ContainsKey("to") && end < start)
        {
            errors["to"] = ["to is before from."];
        }
        return (start, end);
    }

    private static ValidationProblem? InvalidId(string id) =>
        ReadingFields.CheckSensor(id) is { } error ? ApiProblems.Invalid(new() { ["id"] = [error] }) : null;

    [GeneratedRegex("^([0-9]{1,9})([smhd]?)$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketPattern();
}
