using BlazorIot.Server.Dashboard;
using BlazorIot.Tests.Live;

namespace BlazorIot.Tests.Dashboard;

public sealed class SensorActivityTests
{
    [Fact]
    public void Learns_the_usual_interval_from_the_median_and_flags_silence_beyond_three_of_them()
    {
        var time = HubFactory.Clock();
        var activity = new SensorActivity(time);
        Assert.False(activity.IsStale());

        foreach (var gap in new[] { 3, 3, 30, 3, 3 })
        {
            activity.Add(time.GetUtcNow());
            time.Advance(TimeSpan.FromSeconds(gap));
        }
        activity.Add(time.GetUtcNow());

        Assert.Equal(TimeSpan.FromSeconds(3), activity.UsualInterval);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(activity.IsStale());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(activity.IsStale());
    }

    [Fact]
    public void Counts_readings_of_the_last_minute()
    {
        var time = HubFactory.Clock();
        var activity = new SensorActivity(time);
        for (var i = 0; i < 30; i++)
        {
            activity.Add(time.GetUtcNow());
            time.Advance(TimeSpan.FromSeconds(3));
        }

        // Readings at 0, 3, …, 87 s; at 90 s the last minute holds those after 30 s.
        Assert.Equal(19, activity.ReadingsInLastMinute());
    }

    [Fact]
    public void Remembers_only_the_last_sixty_one_readings_for_the_usual_interval()
    {
        var time = HubFactory.Clock();
        var activity = new SensorActivity(time);
        for (var i = 0; i < 61; i++)
        {
            activity.Add(time.GetUtcNow());
            time.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Equal(TimeSpan.FromSeconds(10), activity.UsualInterval);
        for (var i = 0; i < 40; i++)
        {
            activity.Add(time.GetUtcNow());
            time.Advance(TimeSpan.FromSeconds(1));
        }

        // The remembered gaps are now 39 of 1 s and 21 of 10 s: the sensor sped up.
        Assert.Equal(TimeSpan.FromSeconds(1), activity.UsualInterval);
        Assert.Equal(41, activity.ReadingsInLastMinute());
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(activity.IsStale());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(activity.IsStale());
    }
}
