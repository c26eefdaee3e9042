namespace BlazorIot.Server.Live;

public static class LiveServiceCollectionExtensions
{
    public static IServiceCollection AddLive(this IServiceCollection services)
    {
        services.AddOptions<LiveOptions>()
            .BindConfiguration(LiveOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SensorHub>();
        services.AddOptions<QuietCollectionOptions>()
            .BindConfiguration(QuietCollectionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<QuietCollector>();
        services.AddHostedService(provider => provider.GetRequiredService<QuietCollector>());
        services.AddScoped<LiveFeed>();
        return services;
    }
}
