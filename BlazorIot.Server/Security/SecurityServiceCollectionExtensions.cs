namespace BlazorIot.Server.Security;

public static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddDeviceKeys(this IServiceCollection services)
    {
        services.AddSingleton<DeviceKeyStore>();
        services.AddSingleton<IngestGate>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestGate>());
        return services;
    }
}
