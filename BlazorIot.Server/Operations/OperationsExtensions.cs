using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace BlazorIot.Server.Operations;

/// <summary>Health endpoints for orchestrators and load balancers: live (the process answers) and ready (the store answers too).</summary>
public static class OperationsExtensions
{
    private const string Ready = "ready";

    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).DisableRateLimiting();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) }).DisableRateLimiting();
        return endpoints;
    }
}
