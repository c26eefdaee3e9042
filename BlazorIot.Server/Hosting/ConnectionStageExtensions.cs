using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace BlazorIot.Server.Hosting;

public static class ConnectionStageExtensions
{
    /// <summary>Adds a connection stage; Kestrel's endpoint defaults run every stage, once configured here.</summary>
    public static IServiceCollection AddConnectionStage(this IServiceCollection services, ConnectionStage stage)
    {
        services.AddSingleton(stage);
        if (services.Any(d => d.ServiceType == typeof(StagesMarker)))
        {
            return services;
        }
        services.AddSingleton<StagesMarker>();
        services.AddOptions<KestrelServerOptions>().Configure(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
        {
            var provider = listen.ApplicationServices;
            var limits = new KestrelServerLimitsView(kestrel.Limits.KeepAliveTimeout, kestrel.Limits.RequestHeadersTimeout);
            foreach (var each in provider.GetServices<ConnectionStage>())
            {
                listen.Use(next => each.Create(provider, limits, next));
            }
        }));
        return services;
    }

    private sealed class StagesMarker;
}
