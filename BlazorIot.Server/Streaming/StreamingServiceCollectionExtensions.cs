using BlazorIot.Server.Hosting;

namespace BlazorIot.Server.Streaming;

public static class StreamingServiceCollectionExtensions
{
    public static IServiceCollection AddStreaming(this IServiceCollection services)
    {
        services.AddOptions<StreamingOptions>()
            .BindConfiguration(StreamingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddConnectionStage(new ConnectionStage((provider, limits, next) =>
            LegacyStreamConnection.IsWanted(provider)
                ? ActivatorUtilities.CreateInstance<LegacyStreamConnection>(provider, next, limits).OnConnectedAsync
                : next));
        return services;
    }

    public static IEndpointRouteBuilder MapStreaming(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapLegacyStream().MapReadingStream();
}
