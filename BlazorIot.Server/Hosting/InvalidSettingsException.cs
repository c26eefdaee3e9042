namespace BlazorIot.Server.Hosting;

/// <summary>Every setting that is not valid, found together before anything opens.</summary>
public sealed class InvalidSettingsException(IReadOnlyList<string> problems)
    : StartupException(Compose(problems))
{
    /// <summary>One line a problem, each naming the setting, its value and what is allowed.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;

    private static string Compose(IReadOnlyList<string> problems) =>
        $"{(problems.Count == 1 ? "a setting is" : $"{problems.Count} settings are")} not valid:{Environment.NewLine}"
        + string.Concat(problems.Select(problem => $"  {problem}{Environment.NewLine}"))
        + "Settings come from appsettings.json, environment variables (Section__Name) and the command line (--Section:Name=value).";
}
