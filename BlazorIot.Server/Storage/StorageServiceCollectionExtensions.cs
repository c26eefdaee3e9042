namespace BlazorIot.Server.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The SQLite store. Register before the features that ingest, so the store is ready before they start.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<ReadingStore>();
        services.AddHostedService<StorageInitializer>();
        services.AddSingleton<GroupCommitWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitWriter>());
        services.AddHostedService<RetentionSweeper>();
        return services;
    }
}
