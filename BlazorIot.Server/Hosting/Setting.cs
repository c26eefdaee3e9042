using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;

namespace BlazorIot.Server.Hosting;

/// <summary>One property of an options class seen as a setting: its full name, the values it allows, and how a bad value is told.</summary>
public sealed class Setting(string section, PropertyInfo property)
{
    private readonly Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;

    /// <summary>The name as an operator writes it, e.g. <c>Storage:Retention</c>.</summary>
    public string Key { get; } = $"{section}:{property.Name}";

    /// <summary>A single value written as text (a number, a time span, a name), not a list or a nested section.</summary>
    public bool IsScalar => TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    /// <summary>Whether the binder can turn <paramref name="text"/> into this setting's type; for a choice, into one of its names.</summary>
    public bool Converts(string text)
    {
        try
        {
            var value = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text);
            // The binder takes any number for a choice, even one no name stands for.
            return !type.IsEnum || (value is not null && Enum.IsDefined(type, value));
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return false;
        }
    }

    /// <summary>The problem with <paramref name="text"/> (the configured value), when it does not convert or is out of range.</summary>
    public string Problem(string? text) => $"{Key} is {Shown(text)}; allowed: {Allowed()}.";

    /// <summary>The problem with a value that converted but that <paramref name="attribute"/> refuses.</summary>
    public string Problem(string? text, ValidationAttribute attribute) => attribute is RangeAttribute or RequiredAttribute
        ? Problem(text)
        : $"{Key} is {Shown(text)}: {attribute.FormatErrorMessage(Key)}";

    private string Shown(string? text) =>
        string.IsNullOrEmpty(text) ? "empty"
        : property.Name.Contains("Password", StringComparison.OrdinalIgnoreCase) ? "(hidden)"
        : $"\"{text}\"";

    private string Allowed()
    {
        var kind = type.IsEnum ? Choice(Enum.GetNames(type).Select(name => name.ToLowerInvariant()).ToList())
            : type == typeof(TimeSpan) ? "a time span (d.hh:mm:ss)"
            : type == typeof(bool) ? "true or false"
            : type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) ? "a whole number"
            : type == typeof(double) || type == typeof(float) || type == typeof(decimal) ? "a number"
            : type == typeof(string) ? "text"
            : $"a {type.Name}";
        if (property.GetCustomAttribute<RequiredAttribute>() is not null)
        {
            kind = $"{kind}, not empty";
        }
        return property.GetCustomAttribute<RangeAttribute>() is { } range
            ? $"{kind} from {Invariant(range.Minimum)} to {Invariant(range.Maximum)}"
            : kind;
    }

    private static string Choice(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}";

    private static string? Invariant(object value) => Convert.ToString(value, CultureInfo.InvariantCulture);
}
