using System.Globalization;

namespace BlazorIot.Server.Dashboard;

/// <summary>How the dashboard writes numbers and times: values to two decimals in the viewer's culture, times in the server's local time like the original page.</summary>
internal static class DashboardText
{
    public static string Value(double value) => Math.Round(value, 2).ToString("G", CultureInfo.CurrentCulture);

    public static string Time(DateTimeOffset timestamp, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(timestamp, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset timestamp, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(timestamp, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
