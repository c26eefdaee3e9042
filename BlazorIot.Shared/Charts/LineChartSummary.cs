using System.Globalization;
using System.Text;

namespace BlazorIot.Shared.Charts;

/// <summary>
/// The words a screen reader gives for what a <see cref="LineChart"/> draws: for each series its
/// latest value and the range of the points shown, with the time they span.
/// </summary>
internal static class LineChartSummary
{
    /// <param name="unit">The unit of the series on the left-hand axis, when known.</param>
    /// <param name="secondUnit">The unit of the series on the right-hand axis, when known.</param>
    public static string Describe(IReadOnlyList<LineChartWindow> series, string? unit, string? secondUnit)
    {
        if (series.Count == 0)
        {
            return "No data shown.";
        }
        var text = new StringBuilder();
        foreach (var window in series)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }
            Describe(text, window, window.SecondAxis ? secondUnit : unit);
        }
        return text.ToString();
    }

    private static void Describe(StringBuilder text, LineChartWindow window, string? unit)
    {
        text.Append(string.IsNullOrWhiteSpace(window.Label) ? "Series" : window.Label).Append(": ");
        if (window.Count == 0)
        {
            text.Append("no data.");
            return;
        }
        text.Append("latest ").Append(Value(window.Last.Y, unit));
        if (window.Count == 1)
        {
            text.Append(", one point.");
            return;
        }
        text.Append(", range ").Append(Number(window.Min)).Append(" to ").Append(Value(window.Max, unit))
            .Append(" over ").Append(Span(window.Last.X - window.First.X))
            .Append(" (").Append(window.Count.ToString(CultureInfo.InvariantCulture)).Append(" points).");
    }

    private static string Value(double value, string? unit) =>
        string.IsNullOrWhiteSpace(unit) ? Number(value) : $"{Number(value)} {unit}";

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The two largest units that apply: "3 h 5 min", "4 min 30 s", "12 s".</summary>
    internal static string Span(long milliseconds)
    {
        var span = TimeSpan.FromMilliseconds(Math.Max(0, milliseconds));
        if (span.TotalDays >= 1)
        {
            return Pair(span.Days, "d", span.Hours, "h");
        }
        if (span.TotalHours >= 1)
        {
            return Pair(span.Hours, "h", span.Minutes, "min");
        }
        if (span.TotalMinutes >= 1)
        {
            return Pair(span.Minutes, "min", span.Seconds, "s");
        }
        return span.TotalSeconds >= 1 ? $"{span.Seconds} s" : "less than a second";
    }

    private static string Pair(int major, string majorUnit, int minor, string minorUnit) =>
        minor == 0 ? $"{major} {majorUnit}" : $"{major} {majorUnit} {minor} {minorUnit}";
}
