using BlazorIot.Server.Notifications.Senders;
using BlazorIot.Shared.Notifications;

namespace BlazorIot.Tests.Notifications.Senders;

public sealed class NotificationTextTests
{
    [Fact]
    public void One_event_is_its_own_title_several_are_counted()
    {
        Assert.Equal("co2 above 1000: 1204.5", NotificationText.For([SenderServices.Above()], test: false).Title);
        Assert.Equal("3 sensor changes", NotificationText.For([SenderServices.Above(), SenderServices.Silent(), SenderServices.Back()], test: false).Title);
        Assert.Equal("Test from BlazorIot: co2 above 1000: 1204.5", NotificationText.For([SenderServices.Above()], test: true).Title);
        Assert.Equal("Test notification from BlazorIot", NotificationText.For([], test: true).Title);
    }

    [Fact]
    public void Each_change_reads_as_what_happened_with_its_value_and_time_in_utc()
    {
        var lines = NotificationText.For(
            [
                SenderServices.Above(),
                new NotificationEvent(NotificationChange.BelowLow, "soil", SenderServices.Now, 12.25, 15, null),
                SenderServices.Cleared(),
                SenderServices.Silent(),
                SenderServices.Back(value: 3.5),
            ],
            test: false).Lines();

        Assert.Equal(
            [
                "co2 above 1000: 1204.5 at 2026-12-07T14:15:00Z",
                "soil below 15: 12.25 at 2026-12-07T14:15:00Z",
                "co2 back within its thresholds: 950 at 2026-12-07T14:15:00Z",
                "door silent: no reading since 14:03 UTC (12 min) at 2026-12-07T14:15:00Z",
                "door sending again: 3.5 at 2026-12-07T14:15:00Z",
            ],
            lines);
    }

    [Theory]
    [InlineData(45, "45 s")]
    [InlineData(12 * 60, "12 min")]
    [InlineData((2 * 3600) + (5 * 60), "2 h 5 min")]
    [InlineData((3 * 86400) + (4 * 3600), "3 d 4 h")]
    public void A_silence_says_how_long_it_has_lasted(int seconds, string duration)
    {
        var last = SenderServices.Now.AddSeconds(-seconds);
        var headline = NotificationText.Headline(new NotificationEvent(NotificationChange.Silent, "door", SenderServices.Now, null, null, last));

        Assert.EndsWith($"({duration})", headline, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_keeps_whole_lines_within_the_budget_and_counts_the_rest()
    {
        var lines = Enumerable.Range(0, 50).Select(index => $"line {index:00} " + new string('x', 40)).ToList();

        var kept = NotificationText.Fit(lines, 500);

        Assert.InRange(string.Join('\n', kept).Length, 1, 500);
        Assert.Equal($"and {50 - (kept.Count - 1)} more", kept[^1]);
        Assert.Equal(lines.Take(kept.Count - 1), kept.Take(kept.Count - 1));
    }

    [Fact]
    public void Fit_keeps_everything_that_fits()
    {
        Assert.Equal(["a", "b"], NotificationText.Fit(["a", "b"], 3));
    }

    [Fact]
    public void Truncate_marks_the_cut_and_never_splits_a_surrogate_pair()
    {
        Assert.Equal("abc...", NotificationText.Truncate("abcdefghij", 6));
        var cut = NotificationText.Truncate("ab\U0001F600cdef", 6);
        Assert.Equal("ab...", cut);
    }
}
