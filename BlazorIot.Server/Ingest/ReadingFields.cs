using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Ingest;

/// <summary>
/// The rules for each field of an incoming reading, shared by the JSON body and the GET form.
/// Each check returns null when the field is fine, or the message a device author needs.
/// </summary>
public static partial class ReadingFields
{
    /// <summary>Epoch numbers at or above this are milliseconds (10^11 s is the year 5138; 10^11 ms is 1973).</summary>
    private const double MillisecondsThreshold = 1e11;

    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromDays(1);

    public static string? CheckSensor(string? sensor) =>
        SensorId.IsValid(sensor) ? null : $"A sensor id matches {SensorId.Pattern}: 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit.";

    public static string? CheckValue(double value) =>
        double.IsFinite(value) ? null : "The value must be a finite number.";

    public static string? ParseTimestamp(JsonElement element, DateTimeOffset now, out DateTimeOffset timestamp)
    {
        timestamp = default;
        return element.ValueKind switch
        {
            JsonValueKind.String => ParseTimestamp(element.GetString()!, now, out timestamp),
            JsonValueKind.Number when element.TryGetDouble(out var epoch) => FromEpoch(epoch, now, out timestamp),
            _ => "The timestamp must be an ISO 8601 string with an offset (2026-11-28T17:02:01Z) or Unix epoch seconds or milliseconds.",
        };
    }

    public static string? ParseTimestamp(string text, DateTimeOffset now, out DateTimeOffset timestamp) =>
        ParseTimestamp(text.AsSpan(), now, out timestamp);

    /// <summary>The same for text that is not a string of its own (a field of a CSV line).</summary>
    public static string? ParseTimestamp(ReadOnlySpan<char> text, DateTimeOffset now, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var epoch))
        {
            return FromEpoch(epoch, now, out timestamp);
        }
        if (!TryParseUtc(text, out timestamp)
            && (!IsoTimestamp().IsMatch(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out timestamp)))
        {
            return "The timestamp must be an ISO 8601 string with an offset (2026-11-28T17:02:01Z) or Unix epoch seconds or milliseconds.";
        }
        return CheckRange(timestamp, now);
    }

    /// <summary>
    /// The most common form, <c>yyyy-MM-ddTHH:mm:ss[.fffffff]Z</c> (our CSV export writes it for
    /// every row), read without the general parser, which takes most of an import's parsing time.
    /// False for anything else, which then goes to the general parser: the result is the same.
    /// </summary>
    private static bool TryParseUtc(ReadOnlySpan<char> text, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (text.Length is < 20 or > 28 || text[^1] != 'Z' || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || !TryDigits(text[..4], out var year) || !TryDigits(text[5..7], out var month) || !TryDigits(text[8..10], out var day)
            || !TryDigits(text[11..13], out var hour) || !TryDigits(text[14..16], out var minute) || !TryDigits(text[17..19], out var second))
        {
            return false;
        }
        var fraction = text[19..^1];
        var ticks = 0;
        if (!fraction.IsEmpty && (fraction[0] != '.' || fraction.Length < 2 || !TryDigits(fraction[1..], out ticks)))
        {
            return false;
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        for (var digits = Math.Max(fraction.Length - 1, 0); digits < 7; digits++)
        {
            ticks *= 10;
        }
        timestamp = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks));
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = (value * 10) + (c - '0');
        }
        return true;
    }

    /// <summary>An instant for a query (<c>from</c>, <c>to</c>): ISO 8601 with an offset, or Unix epoch seconds or milliseconds.</summary>
    public static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        instant = default;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var epoch))
        {
            if (!double.IsFinite(epoch) || Math.Abs(epoch) > 1e15)
            {
                return false;
            }
            instant = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(Math.Abs(epoch) >= MillisecondsThreshold ? epoch : epoch * 1000));
            return true;
        }
        return IsoTimestamp().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }

    public static string? CheckDeviceId(long id) =>
        id >= 0 ? null : "The id (the device's own sequence number) must be a whole number, 0 or more.";

    private static string? FromEpoch(double epoch, DateTimeOffset now, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (!double.IsFinite(epoch) || Math.Abs(epoch) > 1e15)
        {
            return "The timestamp is not a plausible Unix time.";
        }
        var milliseconds = Math.Abs(epoch) >= MillisecondsThreshold ? epoch : epoch * 1000;
        timestamp = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(milliseconds));
        return CheckRange(timestamp, now);
    }

    private static string? CheckRange(DateTimeOffset timestamp, DateTimeOffset now) =>
        timestamp < Earliest ? "The timestamp is before 2000-01-01: is the device's clock set?"
        : timestamp > now + FutureTolerance ? "The timestamp is more than a day in the future: is the device's clock set?"
        : null;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoTimestamp();
}
