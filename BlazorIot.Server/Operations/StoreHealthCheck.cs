using BlazorIot.Server.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BlazorIot.Server.Operations;

/// <summary>Ready means the store answers a query.</summary>
public sealed class StoreHealthCheck(ReadingStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.LastSequenceAsync(cancellationToken);
            return HealthCheckResult.Healthy("The store answers.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The store does not answer.", exception);
        }
    }
}
