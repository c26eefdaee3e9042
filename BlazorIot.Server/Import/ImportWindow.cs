namespace BlazorIot.Server.Import;

/// <summary>How far back the store keeps readings at the time of an import: rows older than <see cref="From"/> would be removed by retention at once.</summary>
public readonly record struct ImportWindow(DateTimeOffset From, TimeSpan Retention);
