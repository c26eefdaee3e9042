using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Hosting;

/// <summary>
/// While the host starts, holds back the host's own error lines ("Hosting failed to start" with
/// the whole stack trace): a start that fails is reported once, by <see cref="StartupFailureReport"/>.
/// It wraps every logging filter rule, so the configured levels keep working as they are.
/// </summary>
public sealed class HostStartLogGate : IPostConfigureOptions<LoggerFilterOptions>
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private volatile bool holding;

    public void Hold() => holding = true;

    public void Release() => holding = false;

    public void PostConfigure(string? name, LoggerFilterOptions options)
    {
        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            var filter = rule.Filter;
            options.Rules[i] = new LoggerFilterRule(rule.ProviderName, rule.CategoryName, rule.LogLevel,
                (provider, category, level) => Passes(category, level) && (filter?.Invoke(provider, category, level) ?? true));
        }
        // A category that no rule matches gets the minimum level and no filter at all: this rule
        // catches those, and is chosen only when no other rule matches.
        if (!options.Rules.Any(rule => rule.ProviderName is null && rule.CategoryName is null))
        {
            options.Rules.Add(new LoggerFilterRule(null, null, options.MinLevel, (_, category, level) => Passes(category, level)));
        }
    }

    // Error only: a background service that fails while others start is logged at Critical too, and that line stays.
    private bool Passes(string? category, LogLevel level) =>
        level != LogLevel.Error || !holding || !string.Equals(category, HostCategory, StringComparison.Ordinal);
}
