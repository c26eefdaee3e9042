using BlazorIot.Server.Demo;
using BlazorIot.Server.Ingest;
using BlazorIot.Tests.Infrastructure;
using BlazorIot.Tests.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BlazorIot.Tests.Demo;

public sealed class DemoDeviceTests
{
    [Fact]
    public async Task Sends_a_reading_through_ingest_every_period_until_stopped()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        var options = Options.Create(new DemoOptions { Enabled = true, Period = TimeSpan.FromSeconds(3) });
        using var device = new DemoDevice(new ReadingIngest(hub, time), new DemoSignal(new Random(1)), options, time, NullLogger<DemoDevice>.Instance);

        await device.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => hub.GetWindow("luminosity").Count == 1, "the first reading is sent at start");
        time.Advance(TimeSpan.FromSeconds(3));
        await Eventually.TrueAsync(() => hub.GetWindow("luminosity").Count == 2, "a reading is sent after one period");
        await device.StopAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30));

        var window = hub.GetWindow("luminosity");
        Assert.Equal(2, window.Count);
        Assert.Equal(TimeSpan.FromSeconds(3), window[1].Timestamp - window[0].Timestamp);
        Assert.All(window, r => Assert.Equal(Math.Round(r.Value), r.Value));
    }

    [Fact]
    public async Task Does_nothing_when_disabled()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        using var device = new DemoDevice(new ReadingIngest(hub, time), new DemoSignal(new Random(1)), Options.Create(new DemoOptions()), time, NullLogger<DemoDevice>.Instance);

        await device.StartAsync(CancellationToken.None);
        await device.ExecuteTask!;

        Assert.Empty(hub.Sensors);
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
