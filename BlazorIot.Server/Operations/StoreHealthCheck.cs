using BlazorIot.Server.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BlazorIot.Server.Operations;

/// <summary>
/// Ready means the store answers a query and, with SQLite, its file is still the one at its path:
/// a store whose file was removed or replaced answers queries from the open file, but nothing it
/// stores would survive a restart.
/// </summary>
public sealed class StoreHealthCheck(ReadingStore store, StoreFileWatch? fileWatch = null) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (fileWatch is not null && !fileWatch.FileIsInPlace())
        {
            return HealthCheckResult.Unhealthy($"The database file {fileWatch.Path} was removed or replaced while the server was running; restart the server.");
        }
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
