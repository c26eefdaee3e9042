using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Hosting;

/// <summary>
/// Checks every settings section registered with
/// <see cref="SettingsServiceCollectionExtensions.AddValidatedSettings{TOptions}"/> before the server
/// opens anything, and reports all the problems at once. The framework's own start-up validation
/// stops at the first value the binder cannot convert and names a property, not the setting.
/// </summary>
public static class SettingsCheck
{
    /// <exception cref="InvalidSettingsException">At least one setting is not valid.</exception>
    public static void ThrowIfInvalid(IServiceProvider services)
    {
        // Two option types may share a section (Dashboard): each is checked, and a line they share is said once.
        var problems = services.GetServices<SettingsSection>()
            .SelectMany(section => section.FindProblems(services))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (problems.Count > 0)
        {
            throw new InvalidSettingsException(problems);
        }
    }

    /// <summary>
    /// Log levels (<c>Logging:LogLevel:*</c>, <c>Logging:Console:LogLevel:*</c>) are read while the
    /// host is built, before the other settings can be checked: they are checked first, on their own.
    /// </summary>
    /// <exception cref="InvalidSettingsException">A log level is not one of the names.</exception>
    public static void ThrowIfLogLevelsInvalid(IConfiguration configuration)
    {
        var problems = configuration.GetSection("Logging").AsEnumerable()
            .Where(setting => setting.Value is { Length: > 0 } value
                && setting.Key.Split(':') is [.., var parent, _] && string.Equals(parent, "LogLevel", StringComparison.OrdinalIgnoreCase)
                && !Enum.TryParse<LogLevel>(value, ignoreCase: true, out _))
            .Select(setting => $"{setting.Key} is \"{setting.Value}\"; allowed: trace, debug, information, warning, error, critical or none.")
            .Order(StringComparer.Ordinal)
            .ToList();
        if (problems.Count > 0)
        {
            throw new InvalidSettingsException(problems);
        }
    }

    /// <summary>The problems of one section, a line each; none when it is valid.</summary>
    public static IReadOnlyList<string> FindProblems<TOptions>(IServiceProvider services, string section)
        where TOptions : class, new()
    {
        var configured = services.GetRequiredService<IConfiguration>().GetSection(section);
        var settings = typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.SetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0)
            .Select(property => (Property: property, Setting: new Setting(section, property)))
            .ToList();
        var problems = settings
            .Where(each => each.Setting.IsScalar && configured[each.Property.Name] is { Length: > 0 } text && !each.Setting.Converts(text))
            .Select(each => each.Setting.Problem(configured[each.Property.Name]))
            .ToList();
        if (problems.Count > 0)
        {
            return problems;
        }

        TOptions options;
        try
        {
            // Bound exactly as the server will bind it, without the framework's validation: that is done below, a line a problem.
            options = new OptionsFactory<TOptions>(services.GetServices<IConfigureOptions<TOptions>>(), services.GetServices<IPostConfigureOptions<TOptions>>())
                .Create(Options.DefaultName);
        }
        catch (InvalidOperationException exception)
        {
            // A value inside a list or nested section: the binder's message names its key and value.
            return [exception.Message];
        }
        foreach (var (property, setting) in settings)
        {
            var value = property.GetValue(options);
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>().Where(attribute => !attribute.IsValid(value)))
            {
                problems.Add(setting.Problem(configured[property.Name] ?? Convert.ToString(value, CultureInfo.InvariantCulture), attribute));
            }
        }
        foreach (var validator in services.GetServices<IValidateOptions<TOptions>>().Where(validator => validator is not DataAnnotationValidateOptions<TOptions>))
        {
            problems.AddRange(validator.Validate(Options.DefaultName, options).Failures ?? []);
        }
        return problems;
    }
}
