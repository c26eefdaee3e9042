using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Hosting;

public static class SettingsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to the configuration section <paramref name="section"/>,
    /// validated by its data annotations, and lists it for <see cref="SettingsCheck"/> so that a bad
    /// value in it is reported with every other one before the server opens anything.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedSettings<TOptions>(this IServiceCollection services, string section)
        where TOptions : class, new()
    {
        services.AddSingleton(new SettingsSection(section, provider => SettingsCheck.FindProblems<TOptions>(provider, section)));
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
    }
}
