using BlazorIot.Server.Hosting;
using BlazorIot.Server.Storage.Postgres;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace BlazorIot.Server.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The store: SQLite on this machine (the default), or PostgreSQL shared by several instances
    /// (<c>Storage:Provider=postgres</c>). Register before the features that ingest, so the store is
    /// ready before they start.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSettings<StorageOptions>(StorageOptions.Section)
            .Validate(
                options => options.Provider != StorageProvider.Postgres || !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres")),
                "Storage:Provider is postgres: set ConnectionStrings:Postgres.")
            .Validate(
                options => options.Provider != StorageProvider.Postgres || configuration.GetConnectionString("Postgres") is not { Length: > 0 } text || PostgresDatabase.IsConnectionString(text),
                "ConnectionStrings:Postgres is not a PostgreSQL connection string (Host=...;Database=...;Username=...;Password=...).");
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<TemporaryBackups>();
        // Read before the settings are checked: a value that is not a provider registers SQLite's
        // services here, and the check reports the value before anything opens.
        var provider = Enum.TryParse<StorageProvider>(configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.Provider)}"], ignoreCase: true, out var configured)
            ? configured
            : StorageProvider.Sqlite;
        if (provider == StorageProvider.Postgres)
        {
            services.AddSingleton<PostgresDatabase>();
            services.AddSingleton<ReadingStore, PostgresReadingStore>();
            // Hosted services start in order: the schema (with the key table) before Data Protection reads its key ring.
            services.AddHostedService<StorageInitializer>();
            services.AddDataProtection().SetApplicationName("BlazorIot");
            services.AddOptions<KeyManagementOptions>()
                .Configure<PostgresDatabase>((options, database) => options.XmlRepository = new PostgresKeyRepository(database));
            services.AddSingleton<PostgresFeed>();
            services.AddSingleton<RedisWakeUp>();
            services.AddHostedService(sp => sp.GetRequiredService<RedisWakeUp>());
            services.AddSingleton<PostgresGroupCommitWriter>();
            services.AddSingleton<IReadingWriter>(sp => sp.GetRequiredService<PostgresGroupCommitWriter>());
            services.AddHostedService(sp => sp.GetRequiredService<PostgresGroupCommitWriter>());
            services.AddHostedService(sp => sp.GetRequiredService<PostgresFeed>());
        }
        else
        {
            services.AddSingleton<ReadingStore, SqliteReadingStore>();
            services.AddSingleton<IFailedStartCleanup>(sp => sp.GetRequiredService<SqliteDatabase>());
            services.AddHostedService<StorageInitializer>();
            services.AddSingleton<StoreFileWatch>();
            services.AddSingleton(sp => sp.GetRequiredService<SqliteDatabase>().WriteTurns);
            services.AddSingleton<GroupCommitWriter>();
            services.AddSingleton<IReadingWriter>(sp => sp.GetRequiredService<GroupCommitWriter>());
            services.AddHostedService(sp => sp.GetRequiredService<GroupCommitWriter>());
        }
        services.AddHostedService<RetentionSweeper>();
        services.AddSingleton<SensorRemovalSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<SensorRemovalSweeper>());
        return services;
    }
}
