using BlazorIot.Server.Live;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace BlazorIot.Server.Operations;

/// <summary>
/// Health endpoints for orchestrators and load balancers (live: the process answers; ready: the
/// store answers too) and OpenTelemetry metrics in Prometheus format at /metrics: the server's
/// own instruments, live gauges (open streams, circuits), and ASP.NET Core's and Kestrel's meters.
/// </summary>
public static class OperationsExtensions
{
    /// <summary>The tag of the checks <c>/health/ready</c> runs.</summary>
    public const string Ready = "ready";

    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: [Ready]);
        services.AddSingleton<BlazorIotMetrics>();
        services.AddSingleton<CircuitHandler, CircuitCounter>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(BlazorIotMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Components.Server.Circuits")
            .AddPrometheusExporter());
        services.AddHostedService<LiveGauges>();
        return services;
    }

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).DisableRateLimiting();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) }).DisableRateLimiting();
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return endpoints;
    }
}

/// <summary>Gauges read when scraped: open SSE streams and Blazor circuits.</summary>
internal sealed class LiveGauges(BlazorIotMetrics metrics, SensorHub hub) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.Meter.CreateObservableGauge("blazoriot.sse.subscribers", () => hub.StreamCount, "{stream}", "Open SSE streams.");
        metrics.Meter.CreateObservableGauge("blazoriot.circuits", () => CircuitCounter.Open, "{circuit}", "Open Blazor circuits.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
