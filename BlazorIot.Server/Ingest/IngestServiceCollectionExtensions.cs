using BlazorIot.Server.Hosting;

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
        services.AddConnectionStage(new ConnectionStage("legacy-ingest", (provider, limits, next) =>
            LegacyIngestConnection.IsWanted(provider.GetRequiredService<IConfiguration>())
                ? new LegacyIngestConnection(next, provider.GetRequiredService<ReadingIngest>(), provider.GetRequiredService<Security.IngestGate>(),
                    provider.GetRequiredService<Security.IngestBuckets>(), provider.GetRequiredService<TimeProvider>(), limits).OnConnectedAsync
                : next));
        return services;
    }

    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapLegacyIngest().MapReadingIngest();
}
