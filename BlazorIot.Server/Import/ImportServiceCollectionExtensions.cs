using BlazorIot.Server.Hosting;
using BlazorIot.Server.Storage;
using BlazorIot.Server.Storage.Postgres;

namespace BlazorIot.Server.Import;

public static class ImportServiceCollectionExtensions
{
    /// <summary>CSV import into a sensor's history, on whichever store <c>AddStorage</c> chose.</summary>
    public static IServiceCollection AddImport(this IServiceCollection services)
    {
        services.AddValidatedSettings<ImportOptions>(ImportOptions.Section);
        services.AddSingleton<ReadingImport>(provider => provider.GetRequiredService<ReadingStore>() is PostgresReadingStore
            ? ActivatorUtilities.CreateInstance<PostgresReadingImport>(provider)
            : ActivatorUtilities.CreateInstance<SqliteReadingImport>(provider));
        services.AddSingleton<CsvImport>();
        return services;
    }

    public static IEndpointRouteBuilder MapImport(this IEndpointRouteBuilder endpoints) => endpoints.MapImportEndpoints();
}
