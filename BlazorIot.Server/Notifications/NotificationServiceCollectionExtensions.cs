using BlazorIot.Server.Hosting;
using BlazorIot.Server.Storage;
using BlazorIot.Server.Storage.Postgres;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Notifications;

public static class NotificationServiceCollectionExtensions
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddValidatedSettings<NotificationOptions>(NotificationOptions.Section);
        services.AddSingleton<NotificationStore>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.Postgres
            ? new PostgresNotificationStore(sp.GetRequiredService<PostgresDatabase>())
            : new SqliteNotificationStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<DeliveryLogWatch>();
        services.AddSingleton<ChannelSenders>();
        services.AddSingleton<NotificationChannels>();
        return services;
    }
}
