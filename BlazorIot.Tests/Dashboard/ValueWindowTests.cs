using BlazorIot.Server.Dashboard;

namespace BlazorIot.Tests.Dashboard;

public sealed class ValueWindowTests
{
    [Fact]
    public void Summarises_only_the_newest_values_once_full()
    {
        var window = new ValueWindow(capacity: 3);
        Assert.Null(window.Summary());

        window.Add(10);
        Assert.Equal((10.0, 10.0, 10.0), window.Summary());

        foreach (var value in new[] { 2.0, 6, -4, 5 })
        {
            window.Add(value);
        }

        Assert.Equal(3, window.Count);
        // 10 and 2 have left the window: -4, 5 and 6 remain.
        Assert.Equal((-4.0, 6.0, 7.0 / 3), window.Summary());
    }

    [Fact]
    public void Holds_exactly_the_newest_values_through_many_wraps()
    {
        var window = new ValueWindow(capacity: 4);
        for (var i = 1; i <= 103; i++)
        {
            window.Add(i);
        }

        Assert.Equal((100.0, 103.0, 101.5), window.Summary());
    }
}
