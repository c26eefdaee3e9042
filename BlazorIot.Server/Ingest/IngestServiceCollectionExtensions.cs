using BlazorIot.Server.Hosting;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Ingest;

public static class IngestServiceCollectionExtensions
{
    public static IServiceCollection AddIngest(this IServiceCollection services)
    {
        services.AddOptions<IngestOptions>()
            .BindConfiguration(IngestOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ReadingIngest>();
        services.AddConnectionStage(new ConnectionStage((provider, limits, next) =>
            provider.GetRequiredService<IOptions<IngestOptions>>().Value.DirectLegacyIngest
                ? ActivatorUtilities.CreateInstance<LegacyIngestConnection>(provider, next, limits).OnConnectedAsync
                : next));
        return services;
    }

    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapLegacyIngest().MapReadingIngest();
}
