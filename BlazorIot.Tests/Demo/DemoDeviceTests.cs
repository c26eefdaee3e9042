using BlazorIot.Server.Demo;
using BlazorIot.Server.Ingest;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using BlazorIot.Tests.Live;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BlazorIot.Tests.Demo;

public sealed class DemoDeviceTests
{
    [Fact]
    public async Task Sends_a_reading_through_ingest_every_period()
    {
        var time = HubFactory.Clock();
        await using var server = LiveServer.Start(time, new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Demo:Period"] = "00:00:03" });
        await Eventually.TrueAsync(() => server.Hub.GetWindow("luminosity").Count == 1, "the first reading is sent at start");

        time.Advance(TimeSpan.FromSeconds(3));
        await Eventually.TrueAsync(() => server.Hub.GetWindow("luminosity").Count == 2, "a reading is sent after one period");

        var window = server.Hub.GetWindow("luminosity");
        Assert.Equal(TimeSpan.FromSeconds(3), window[1].Timestamp - window[0].Timestamp);
        Assert.All(window, r => Assert.Equal(Math.Round(r.Value), r.Value));
        // Through the store like any device: the readings are committed, with sequence ids.
        Assert.Equal([1L, 2L], window.Select(r => r.Sequence));
    }

    [Fact]
    public async Task Goes_on_to_the_next_reading_when_the_store_refuses_one()
    {
        var time = HubFactory.Clock();
        var store = new RefusingWriter();
        var demo = new DemoDevice(new ReadingIngest(store, time), new DemoSignal(new Random(7)),
            Options.Create(new DemoOptions { Enabled = true, Period = TimeSpan.FromSeconds(3) }), time, Started(), NullLogger<DemoDevice>.Instance);

        await demo.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => store.Attempts == 1, "the first reading is sent at start, and refused");
        time.Advance(TimeSpan.FromSeconds(3));
        await Eventually.TrueAsync(() => store.Attempts == 2, "the next reading is sent a period later");

        // A demo that ended with the store's error would stop the whole host (BackgroundService's default).
        Assert.False(demo.ExecuteTask!.IsCompleted);
        await demo.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Sends_nothing_when_disabled()
    {
        var time = HubFactory.Clock();
        await using var server = LiveServer.Start(time);

        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Empty(server.Hub.Sensors);
    }

    private static ApplicationLifetime Started()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        lifetime.NotifyStarted();
        return lifetime;
    }

    private sealed class RefusingWriter : IReadingWriter
    {
        private int attempts;

        public int Attempts => Volatile.Read(ref attempts);

        public long Commits => 0;

        public Task<IngestResult> WriteAsync(IReadOnlyList<NewReading> readings, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref attempts);
            return Task.FromException<IngestResult>(new StoreUnavailableException("The readings could not be stored."));
        }
    }

    [Fact]
    public void The_signal_is_bright_at_midday_and_only_lamp_light_at_night()
    {
        var signal = new DemoSignal(new Random(7));
        var noon = new DateTimeOffset(2026, 6, 1, 13, 0, 0, TimeSpan.Zero);
        var night = new DateTimeOffset(2026, 6, 1, 2, 0, 0, TimeSpan.Zero);

        var day = Enumerable.Range(0, 100).Select(i => signal.Sample(noon.AddSeconds(i * 3))).ToArray();
        var dark = Enumerable.Range(0, 100).Select(i => signal.Sample(night.AddSeconds(i * 3))).ToArray();

        Assert.All(day, v => Assert.InRange(v, 480, 810));
        Assert.All(dark, v => Assert.InRange(v, 30, 50));
        Assert.True(day.Distinct().Count() > 10, "the signal moves, so the chart visibly updates");
    }
}
