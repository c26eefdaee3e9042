using System.Globalization;
using BlazorIot.Server.Ingest;

namespace BlazorIot.Tests.Ingest;

public sealed class TimestampParsingTests
{
    private static readonly DateTimeOffset FarFuture = DateTimeOffset.MaxValue.AddDays(-2);

    /// <summary>
    /// UTC times in the form our export writes (<c>yyyy-MM-ddTHH:mm:ss[.f]Z</c>) are read without the
    /// general parser: over every edge of every field, valid or not, the result is what the general
    /// parser gives.
    /// </summary>
    [Fact]
    public void The_quick_reading_of_utc_times_agrees_with_the_general_parser_on_every_edge()
    {
        string[] years = ["0000", "0001", "1999", "2000", "2024", "2026", "9999", "20a6"];
        string[] months = ["00", "01", "02", "12", "13"];
        string[] days = ["00", "01", "28", "29", "30", "31", "32"];
        string[] hours = ["00", "23", "24"];
        string[] minutes = ["00", "59", "60"];
        string[] seconds = ["00", "59", "60"];
        string[] fractions = ["", ".", ".1", ".123", ".1234567", ".12345678", ".12a"];
        var checkedTimes = 0;
        foreach (var y in years)
        {
            foreach (var mo in months)
            {
                foreach (var d in days)
                {
                    foreach (var h in hours)
                    {
                        foreach (var mi in minutes)
                        {
                            foreach (var s in seconds)
                            {
                                foreach (var f in fractions)
                                {
                                    var text = $"{y}-{mo}-{d}T{h}:{mi}:{s}{f}Z";
                                    var error = ReadingFields.ParseTimestamp(text, FarFuture, out var parsed);
                                    var (expectedError, expected) = General(text);
                                    Assert.True(expectedError == error, $"{text}: '{error}', the general parser: '{expectedError}'");
                                    Assert.Equal((expected, expected.Offset), (parsed, parsed.Offset));
                                    checkedTimes++;
                                }
                            }
                        }
                    }
                }
            }
        }
        Assert.Equal(52_920, checkedTimes);
    }

    // What ParseTimestamp did for every ISO text before the quick path.
    private static (string? Error, DateTimeOffset Time) General(string text)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(text, @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return ("The timestamp must be an ISO 8601 string with an offset (2026-11-28T17:02:01Z) or Unix epoch seconds or milliseconds.", default);
        }
        return (time < new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero) ? "The timestamp is before 2000-01-01: is the device's clock set?"
            : time > FarFuture.AddDays(1) ? "The timestamp is more than a day in the future: is the device's clock set?"
            : null, time);
    }
}
