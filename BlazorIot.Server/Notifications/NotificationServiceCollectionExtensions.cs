using BlazorIot.Server.Hosting;
using BlazorIot.Server.Notifications.Senders;
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
        services.AddHttpClient(NotificationHttp.ClientName)
            // The factory's request logs carry the whole URL, and a Slack or Discord URL is that channel's secret.
            .RemoveAllLoggers()
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<NotificationOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var handler = new SocketsHttpHandler
                {
                    // A redirect is the receiver's answer, logged as such: following it could lead anywhere.
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                };
                if (sp.GetRequiredService<IOptions<NotificationOptions>>().Value.RefusePrivateAddresses)
                {
                    handler.ConnectCallback = OutboundConnection.ConnectPubliclyAsync;
                    // Through a proxy the check would judge the proxy's address, and the proxy would reach any receiver.
                    handler.UseProxy = false;
                }
                return handler;
            });
        services.AddSingleton<HttpDelivery>();
        services.AddSingleton<IChannelSender, WebhookSender>();
        services.AddChannelSenders();
        services.AddSingleton<ChannelSenders>();
        services.AddSingleton<DeliveryLogWatch>();
        services.AddSingleton<OutboxWakeUp>();
        services.AddSingleton<NotificationChannels>();
        services.AddSingleton<NotificationRouter>();
        services.AddSingleton<INotificationSink>(sp => sp.GetRequiredService<NotificationRouter>());
        services.AddHostedService(sp => sp.GetRequiredService<NotificationRouter>());
        services.AddHostedService<ChannelRenameFollower>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        return services;
    }

    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder endpoints) => NotificationEndpoints.Map(endpoints);
}
