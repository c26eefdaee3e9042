using BlazorIot.Server.Dashboard;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Dashboard;

public sealed class DashboardClockTests
{
    [Fact]
    public void Ticks_every_second_for_each_subscriber_until_it_unsubscribes()
    {
        var time = new FakeTimeProvider();
        using var clock = new DashboardClock(time);
        var (first, second) = (0, 0);
        using var one = clock.Subscribe(() => first++);
        var two = clock.Subscribe(() => second++);

        time.Advance(TimeSpan.FromSeconds(2));
        two.Dispose();
        two.Dispose();
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(3, first);
        Assert.Equal(2, second);
    }

    [Fact]
    public void Stops_ticking_when_disposed()
    {
        var time = new FakeTimeProvider();
        var clock = new DashboardClock(time);
        var ticks = 0;
        clock.Subscribe(() => ticks++);

        clock.Dispose();
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, ticks);
    }
}
