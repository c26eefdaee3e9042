using System.Globalization;
using BlazorIot.Server.Dashboard;

namespace BlazorIot.Tests.Dashboard;

public sealed class RecentTextsTests
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    [Fact]
    public void Makes_a_text_once_for_every_caller_that_asks_for_the_same_input()
    {
        var texts = new RecentTexts<double>();
        var made = 0;
        string Make(double value, CultureInfo culture)
        {
            made++;
            return value.ToString(culture);
        }

        var first = texts.Get(21.5, French, Make);
        var again = texts.Get(21.5, French, Make);

        Assert.Equal("21,5", first);
        Assert.Same(first, again);
        Assert.Equal(1, made);
        Assert.Equal("21.5", texts.Get(21.5, English, Make));
        Assert.Equal(2, made);
    }

    [Fact]
    public void Inputs_that_share_a_slot_each_get_their_own_text()
    {
        var texts = new RecentTexts<int>(slots: 1);

        Assert.Equal("1", texts.Get(1, English, static (key, culture) => key.ToString(culture)));
        Assert.Equal("2", texts.Get(2, English, static (key, culture) => key.ToString(culture)));
        Assert.Equal("1", texts.Get(1, English, static (key, culture) => key.ToString(culture)));
    }

    [Fact]
    public void Writes_the_dashboards_times_with_their_own_offset_and_in_the_servers_zone()
    {
        var summer = new DateTimeOffset(2026, 7, 1, 12, 0, 5, TimeSpan.FromHours(2));
        var sameInstantInUtc = summer.ToUniversalTime();

        Assert.Equal("2026-07-01T12:00:05.0000000+02:00", DashboardText.Iso(summer));
        Assert.Equal("2026-07-01T10:00:05.0000000+00:00", DashboardText.Iso(sameInstantInUtc));
        Assert.Equal("10:00:05", DashboardText.Time(summer, TimeZoneInfo.Utc));
        Assert.Equal("10:00:05", DashboardText.Time(sameInstantInUtc, TimeZoneInfo.Utc));
    }
}
