namespace BlazorIot.Server.Notifications.Events;

public static class NotificationEventsServiceCollectionExtensions
{
    /// <summary>The silence watch (<see cref="SilenceWatch"/>); threshold events come from the alert monitor.</summary>
    public static IServiceCollection AddNotificationEvents(this IServiceCollection services)
    {
        services.AddSingleton<SilenceWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<SilenceWatch>());
        return services;
    }
}
