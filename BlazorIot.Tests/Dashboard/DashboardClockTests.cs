using BlazorIot.Server.Dashboard;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Dashboard;

public sealed class DashboardClockTests
{
    [Fact]
    public async Task Ticks_every_second_for_each_subscriber_until_it_unsubscribes()
    {
        var time = new FakeTimeProvider();
        using var clock = new DashboardClock(time);
        var (first, second) = (0, 0);
        using var one = clock.Subscribe(() => Interlocked.Increment(ref first));
        var two = clock.Subscribe(() => Interlocked.Increment(ref second));

        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => Volatile.Read(ref first) == 1 && Volatile.Read(ref second) == 1, "both hear the first tick");
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => Volatile.Read(ref first) == 2 && Volatile.Read(ref second) == 2, "both hear the second tick");
        two.Dispose();
        two.Dispose();
        time.Advance(TimeSpan.FromSeconds(1));

        await Eventually.TrueAsync(() => Volatile.Read(ref first) == 3, "the one still subscribed hears the third tick");
        Assert.Equal(2, Volatile.Read(ref second));
    }

    [Fact]
    public async Task Stops_ticking_when_disposed()
    {
        var time = new FakeTimeProvider();
        var clock = new DashboardClock(time);
        var ticks = 0;
        clock.Subscribe(() => Interlocked.Increment(ref ticks));
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => Volatile.Read(ref ticks) == 1, "it ticks while alive");

        clock.Dispose();
        time.Advance(TimeSpan.FromSeconds(5));
        // A tick would have queued its listener before these; two rounds let one already running finish.
        await AfterQueuedWorkAsync();
        await AfterQueuedWorkAsync();

        Assert.Equal(1, Volatile.Read(ref ticks));
    }

    private static Task AfterQueuedWorkAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.SetResult(), done, preferLocal: false);
        return done.Task;
    }
}
