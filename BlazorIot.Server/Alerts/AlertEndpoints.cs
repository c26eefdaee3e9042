using BlazorIot.Server.Ingest;
using BlazorIot.Server.Storage;
using BlazorIot.Server.Storage.Postgres;
using BlazorIot.Shared.Readings;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Alerts;

/// <summary>Thresholds and the alert log of a sensor.</summary>
public static class AlertEndpoints
{
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddSingleton<AlertStore>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.Postgres
            ? new PostgresAlertStore(sp.GetRequiredService<PostgresDatabase>())
            : new SqliteAlertStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<AlertMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertMonitor>());
        return services;
    }

    public static IEndpointRouteBuilder MapAlerts(this IEndpointRouteBuilder endpoints)
    {
        var sensors = endpoints.MapGroup("/api/sensors/{id}").WithTags("Alerts").RequireAuthorization(Security.ViewerSignIn.Policy);
        sensors.MapGet("/thresholds", (string id, AlertMonitor monitor) =>
            SensorId.IsValid(id) ? (Results<Ok<Thresholds>, ValidationProblem>)TypedResults.Ok(monitor.ThresholdsOf(id)) : InvalidId(id))
            .WithName("GetThresholds").WithSummary("A sensor's alert thresholds.");
        sensors.MapPut("/thresholds", SetThresholdsAsync)
            .WithName("SetThresholds").WithSummary("Sets a sensor's low and high thresholds (null: none) and hysteresis.")
            .RequireAuthorization(Security.AdminAccess.Policy);
        sensors.MapGet("/alerts", ListAsync)
            .WithName("GetAlerts").WithSummary("A sensor's alert log, newest first.");
        return endpoints;
    }

    internal static async Task<Results<Ok<Thresholds>, ValidationProblem>> SetThresholdsAsync(
        string id, Thresholds thresholds, AlertMonitor monitor, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (ReadingFields.CheckSensor(id) is { } idError)
        {
            errors["id"] = [idError];
        }
        if (thresholds.Low is { } low && !double.IsFinite(low) || thresholds.High is { } high && !double.IsFinite(high))
        {
            errors["thresholds"] = ["Thresholds are finite numbers or null."];
        }
        if (thresholds is { Low: { } l, High: { } h } && l >= h)
        {
            errors["low"] = ["low must be below high."];
        }
        if (!double.IsFinite(thresholds.Hysteresis) || thresholds.Hysteresis < 0)
        {
            errors["hysteresis"] = ["The hysteresis is a number, 0 or more."];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }
        await monitor.SetThresholdsAsync(id, thresholds, cancellationToken);
        return TypedResults.Ok(thresholds);
    }

    internal static async Task<Results<Ok<IReadOnlyList<Alert>>, ValidationProblem>> ListAsync(
        string id, int? limit, AlertStore store, CancellationToken cancellationToken)
    {
        if (!SensorId.IsValid(id))
        {
            return InvalidId(id);
        }
        return TypedResults.Ok(await store.ListAsync(id, Math.Clamp(limit ?? 100, 1, 10_000), openOnly: false, cancellationToken));
    }

    private static ValidationProblem InvalidId(string id) =>
        ApiProblems.Invalid(new() { ["id"] = [ReadingFields.CheckSensor(id)!] });
}
