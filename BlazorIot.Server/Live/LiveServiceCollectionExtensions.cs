using BlazorIot.Server.Hosting;

namespace BlazorIot.Server.Live;

public static class LiveServiceCollectionExtensions
{
    public static IServiceCollection AddLive(this IServiceCollection services)
    {
        services.AddValidatedSettings<LiveOptions>(LiveOptions.Section);
        services.AddSingleton<SensorHub>();
        services.AddScoped<LiveFeed>();
        return services;
    }
}
