using BlazorIot.Server.Hosting;

namespace BlazorIot.Server.Streaming;

public static class StreamingServiceCollectionExtensions
{
    public static IServiceCollection AddStreaming(this IServiceCollection services)
    {
        services.AddValidatedSettings<StreamingOptions>(StreamingOptions.Section);
        return services;
    }

    public static IEndpointRouteBuilder MapStreaming(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapLegacyStream().MapReadingStream();
}
