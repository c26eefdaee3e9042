using BlazorIot.Server.Hosting;

namespace BlazorIot.Server.Demo;

public static class DemoServiceCollectionExtensions
{
    public static IServiceCollection AddDemo(this IServiceCollection services)
    {
        services.AddValidatedSettings<DemoOptions>(DemoOptions.Section);
        services.AddSingleton(new DemoSignal(new Random()));
        services.AddHostedService<DemoDevice>();
        return services;
    }
}
