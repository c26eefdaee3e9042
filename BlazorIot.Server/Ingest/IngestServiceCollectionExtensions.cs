using BlazorIot.Server.Hosting;

namespace BlazorIot.Server.Ingest;

public static class IngestServiceCollectionExtensions
{
    public static IServiceCollection AddIngest(this IServiceCollection services)
    {
        services.AddValidatedSettings<IngestOptions>(IngestOptions.Section);
        services.AddSingleton<ReadingIngest>();
        return services;
    }

    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapLegacyIngest().MapReadingIngest();
}
