using BlazorIot.Server.Notifications.Events;

namespace BlazorIot.Server.Sensors;

public static class SensorServiceCollectionExtensions
{
    /// <summary>Describing, renaming and deleting sensors (<see cref="SensorAdministration"/>), and watching them for silence.</summary>
    public static IServiceCollection AddSensors(this IServiceCollection services) =>
        services.AddSingleton<SensorAdministration>().AddNotificationEvents();
}
