namespace BlazorIot.Server.Sensors;

public static class SensorServiceCollectionExtensions
{
    /// <summary>Describing, renaming and deleting sensors (<see cref="SensorAdministration"/>).</summary>
    public static IServiceCollection AddSensors(this IServiceCollection services) =>
        services.AddSingleton<SensorAdministration>();
}
