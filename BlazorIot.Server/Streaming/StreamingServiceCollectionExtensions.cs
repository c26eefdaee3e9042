using BlazorIot.Server.Hosting;
using BlazorIot.Server.Live;
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
        services.AddConnectionStage(new ConnectionStage("legacy-stream", (provider, limits, next) =>
            LegacyStreamConnection.IsWanted(provider.GetRequiredService<IConfiguration>())
                ? new LegacyStreamConnection(next, provider.GetRequiredService<SensorHub>(), provider.GetRequiredService<IOptions<StreamingOptions>>().Value,
                    provider.GetRequiredService<IHostApplicationLifetime>(), provider.GetRequiredService<TimeProvider>(), limits).OnConnectedAsync
                : next));
        return services;
    }

    public static IEndpointRouteBuilder MapStreaming(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapLegacyStream().MapReadingStream();
}
