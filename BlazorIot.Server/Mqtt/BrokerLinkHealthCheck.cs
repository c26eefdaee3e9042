using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BlazorIot.Server.Mqtt;

/// <summary>
/// Ready, in broker mode, includes the broker link: while it is down no MQTT reading arrives, so a
/// load balancer or orchestrator should see it, with the reason.
/// </summary>
public sealed class BrokerLinkHealthCheck(BrokerLink link) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(link.IsReady
            ? HealthCheckResult.Healthy($"Connected to the MQTT broker {link.Address} as '{link.ClientId}'.")
            : HealthCheckResult.Unhealthy($"Not connected to the MQTT broker {link.Address} as '{link.ClientId}': {link.Problem}."));
}
