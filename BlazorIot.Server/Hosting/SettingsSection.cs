namespace BlazorIot.Server.Hosting;

/// <summary>A configuration section bound to an options class, and how to list its problems.</summary>
public sealed record SettingsSection(string Name, Func<IServiceProvider, IReadOnlyList<string>> FindProblems);
