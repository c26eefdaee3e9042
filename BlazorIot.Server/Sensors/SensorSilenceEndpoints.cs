using System.Text.Json;
using BlazorIot.Server.Ingest;
using BlazorIot.Server.Notifications.Events;
using BlazorIot.Server.Security;
using BlazorIot.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorIot.Server.Sensors;

/// <summary>A sensor's silence limit: after how long without a reading it counts as silent (the stale mark, the notifications).</summary>
public static class SensorSilenceEndpoints
{
    public static RouteGroupBuilder MapSensorSilence(this RouteGroupBuilder sensors)
    {
        sensors.MapGet("/{id}/silence", GetAsync)
            .WithName("GetSilence")
            .WithSummary("A sensor's own silence limit in seconds (null: automatic, three usual intervals), its usual interval and whether it is silent now.");
        sensors.MapPut("/{id}/silence", SetAsync)
            .RequireAuthorization(AdminAccess.Policy)
            .WithName("SetSilence")
            .WithSummary("Sets a sensor's own silence limit: {\"after\": seconds} from 10 s to 30 days, or {\"after\": null} for automatic.")
            .Accepts<SensorSilenceRequest>("application/json")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return sensors;
    }

    internal static async Task<Results<Ok<SensorSilence>, ValidationProblem>> GetAsync(
        string id, ReadingStore store, SilenceWatch watch, CancellationToken cancellationToken)
    {
        if (ReadingFields.CheckSensor(id) is { } idError)
        {
            return ApiProblems.Invalid(new() { ["id"] = [idError] });
        }
        // The store's limit: the one set last, on whichever instance.
        return TypedResults.Ok(Describe(await store.GetSilenceLimitAsync(id, cancellationToken), watch.StateOf(id)));
    }

    // The body is read, not bound (JsonRequestBody): a wrong type is named like any other mistake.
    internal static async Task<Results<Ok<SensorSilence>, ValidationProblem, ProblemHttpResult>> SetAsync(
        string id, HttpRequest request, SilenceWatch watch, CancellationToken cancellationToken)
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
        TimeSpan? after = null;
        using (body)
        {
            if (body.RootElement.ValueKind != JsonValueKind.Object || !body.RootElement.TryGetProperty("after", out var field))
            {
                errors["after"] = ["Send {\"after\": seconds} (10 s to 30 days), or {\"after\": null} for automatic."];
            }
            else if (field.ValueKind == JsonValueKind.Number && field.TryGetDouble(out var seconds))
            {
                // Clamped only to stay a TimeSpan; the range check below refuses anything outside 10 s to 30 days.
                after = TimeSpan.FromSeconds(Math.Clamp(seconds, -1, SilenceWatch.LongestLimit.TotalSeconds + 1));
            }
            else if (field.ValueKind != JsonValueKind.Null)
            {
                errors["after"] = ["after is a number of seconds, or null for automatic."];
            }
        }
        if (!errors.ContainsKey("after") && SilenceWatch.CheckLimit(after) is { } limitError)
        {
            errors["after"] = [limitError];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }
        await watch.SetLimitAsync(id, after, cancellationToken);
        return TypedResults.Ok(Describe(after, watch.StateOf(id)));
    }

    private static SensorSilence Describe(TimeSpan? after, (TimeSpan? UsualInterval, bool Silent) state) =>
        new(after?.TotalSeconds, state.UsualInterval?.TotalSeconds, state.Silent);
}
