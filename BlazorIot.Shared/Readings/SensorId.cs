using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace BlazorIot.Shared.Readings;

/// <summary>The rules for sensor ids: lower-case, URL- and file-safe, at most 64 characters.</summary>
public static partial class SensorId
{
    /// <summary>The sensor the original lab device writes and the original page reads.</summary>
    public const string Legacy = "luminosity";

    public const string Pattern = "^[a-z0-9][a-z0-9._-]{0,63}$";

    /// <summary>The longest id <see cref="Pattern"/> allows.</summary>
    public const int MaxLength = 64;

    public static bool IsValid([NotNullWhen(true)] string? id) => id is not null && ValidId().IsMatch(id);

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex ValidId();
}
