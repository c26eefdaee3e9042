using BlazorIot.Server.Dashboard;
using BlazorIot.Server.Operations;
using BlazorIot.Server.Streaming;
using BlazorIot.Tests.Infrastructure;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Dashboard;

public sealed class RenderBatchWatchTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(30, 1)]
    [InlineData(29, 0)]
    public void A_dashboard_that_the_transport_cut_off_with_an_update_unacknowledged_for_the_deadline_is_counted_as_stalled(int secondsUnacknowledged, int counted)
    {
        // The watch's own timer never fires here: only the disconnection can count it.
        var time = new ClockWithoutTimers();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new BlazorIotMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        using var stalled = new StalledCount(metrics.Meter, "blazoriot.circuits.disconnected");
        using var watch = new RenderBatchWatch(time, Options.Create(new StreamingOptions { StalledClientTimeout = Deadline }), metrics, NullLogger<RenderBatchWatch>.Instance);
        var connection = new HubConnectionContext(new DefaultConnectionContext("tab"), new HubConnectionContextOptions(), NullLoggerFactory.Instance);

        watch.Connected(connection);
        watch.Sent("tab", 1);
        time.Advance(TimeSpan.FromSeconds(secondsUnacknowledged));
        watch.Disconnected(connection);

        Assert.Equal(counted, stalled.Value);
    }

    private sealed class ClockWithoutTimers : FakeTimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            base.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }
}
