using BlazorIot.Server.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BlazorIot.Server.Operations;

/// <summary>Ready means the store answers a query.</summary>
public sealed class StoreHealthCheck(SqliteDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM sensors;";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("The store answers.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The store does not answer.", exception);
        }
    }
}
