namespace BlazorIot.Server.Demo;

public static class DemoServiceCollectionExtensions
{
    public static IServiceCollection AddDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoOptions>()
            .BindConfiguration(DemoOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (configuration.GetValue<bool>($"{DemoOptions.Section}:{nameof(DemoOptions.Enabled)}"))
        {
            services.AddSingleton(new DemoSignal(new Random()));
            services.AddHostedService<DemoDevice>();
        }
        return services;
    }
}
