using BlazorIot.Server.Live;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Streaming;

public static class StreamingServiceCollectionExtensions
{
    public static IServiceCollection AddStreaming(this IServiceCollection services)
    {
        services.AddOptions<StreamingOptions>()
            .BindConfiguration(StreamingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IConfiguration>((kestrel, configuration) =>
        {
            if (!LegacyStreamConnection.IsWanted(configuration))
            {
                return;
            }
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(next =>
            {
                var services = listen.ApplicationServices;
                return new LegacyStreamConnection(next, services.GetRequiredService<SensorHub>(),
                    services.GetRequiredService<IOptions<StreamingOptions>>().Value, services.GetRequiredService<IHostApplicationLifetime>(),
                    services.GetRequiredService<TimeProvider>(), kestrel.Limits.KeepAliveTimeout, kestrel.Limits.RequestHeadersTimeout).OnConnectedAsync;
            }));
        });
        return services;
    }

    public static IEndpointRouteBuilder MapStreaming(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapLegacyStream().MapReadingStream();
}
