using System.Globalization;

namespace BlazorIot.Server.Dashboard;

/// <summary>How the dashboard writes numbers and times: values to the sensor's decimals (at most two when it has none) in the viewer's culture, times in the server's local time like the original page.</summary>
internal static class DashboardText
{
    private static readonly RecentTexts<double> Values = new();
    private static readonly RecentTexts<(double Value, int Decimals)> FixedValues = new();
    private static readonly RecentTexts<long> Times = new();
    private static readonly RecentTexts<(long UtcTicks, long OffsetTicks)> IsoTimes = new();

    public static string Value(double value) =>
        Values.Get(value, CultureInfo.CurrentCulture, static (value, culture) => Math.Round(value, 2).ToString("G", culture));

    /// <summary>The value with exactly <paramref name="decimals"/> decimals (as described for its sensor), or as <see cref="Value(double)"/> when null.</summary>
    public static string Value(double value, int? decimals) => decimals is not { } fixedDecimals
        ? Value(value)
        : FixedValues.Get((value, fixedDecimals), CultureInfo.CurrentCulture, static (key, culture) => key.Value.ToString("F" + key.Decimals.ToString(CultureInfo.InvariantCulture), culture));

    public static string Time(DateTimeOffset timestamp, TimeZoneInfo zone) =>
        Times.Get(timestamp.UtcTicks, zone, static (ticks, zone) =>
            TimeZoneInfo.ConvertTime(new DateTimeOffset(ticks, TimeSpan.Zero), zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture));

    /// <summary>The instant as ISO 8601 with its own offset (a <c>time</c> element's <c>datetime</c>).</summary>
    public static string Iso(DateTimeOffset timestamp) =>
        IsoTimes.Get((timestamp.UtcTicks, timestamp.Offset.Ticks), CultureInfo.InvariantCulture, static (key, culture) =>
            new DateTimeOffset(key.UtcTicks + key.OffsetTicks, new TimeSpan(key.OffsetTicks)).ToString("O", culture));

    public static string DateTime(DateTimeOffset timestamp, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(timestamp, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
