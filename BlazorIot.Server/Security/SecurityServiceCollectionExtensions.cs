using BlazorIot.Server.Storage;
using BlazorIot.Server.Storage.Postgres;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Security;

public static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddDeviceKeys(this IServiceCollection services)
    {
        services.AddDeviceKeyStore();
        services.AddSingleton<IngestGate>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestGate>());
        return services;
    }

    /// <summary>The keys where the readings are: SQLite, or PostgreSQL shared by the instances.</summary>
    public static IServiceCollection AddDeviceKeyStore(this IServiceCollection services) =>
        services.AddSingleton<DeviceKeyStore>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.Postgres
            ? new PostgresDeviceKeyStore(sp.GetRequiredService<PostgresDatabase>())
            : new SqliteDeviceKeyStore(sp.GetRequiredService<SqliteDatabase>()));
}
