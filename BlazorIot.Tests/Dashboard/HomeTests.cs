using BlazorIot.Server.Dashboard.Pages;
using BlazorIot.Server.Live;
using BlazorIot.Shared.Charts;
using BlazorIot.Tests.Live;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Dashboard;

public sealed class HomeTests : BunitContext
{
    private readonly FakeTimeProvider time = HubFactory.Clock();
    private readonly SensorHub hub;
    private readonly BunitJSModuleInterop chartModule;

    public HomeTests()
    {
        time.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
        hub = HubFactory.Create(time);
        Services.AddSingleton<TimeProvider>(time);
        Services.AddSingleton(Options.Create(new LiveOptions()));
        Services.AddSingleton(hub);
        Services.AddScoped<LiveFeed>();
        Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);

        JSInterop.Mode = JSRuntimeMode.Strict;
        chartModule = JSInterop.SetupModule(LineChart.ModulePath);
        chartModule.SetupVoid("createChart", _ => true).SetVoidResult();
        chartModule.SetupVoid("appendPoints", _ => true).SetVoidResult();
        chartModule.SetupVoid("destroyChart", _ => true).SetVoidResult();
    }

    [Fact]
    public void Shows_the_current_window_and_latest_value_at_once()
    {
        hub.Publish("luminosity", 410, time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(3));
        hub.Publish("luminosity", 415, time.GetUtcNow());

        var cut = Render<Home>();

        Assert.Equal("415", cut.Find("[data-testid=latest-value]").TextContent);
        Assert.Equal("18:02:04", cut.Find("[data-testid=latest-time]").TextContent);
        var setup = Assert.IsType<LineChartSetup>(chartModule.VerifyInvoke("createChart").Arguments[1]);
        Assert.Equal([410.0, 415.0], setup.Points.Select(p => p.Y));
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), setup.Points[^1].X);
    }

    [Fact]
    public void A_published_reading_reaches_the_chart_and_bursts_are_coalesced_to_ten_updates_a_second()
    {
        var cut = Render<Home>();
        Assert.Contains("No reading yet", cut.Markup);

        hub.Publish("luminosity", 1, time.GetUtcNow());
        cut.WaitForAssertion(() => Assert.Single(chartModule.Invocations["appendPoints"]));
        Assert.Equal([new ChartPoint(time.GetUtcNow().ToUnixTimeMilliseconds(), 1)], Points(0));
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=latest-value]").TextContent));

        // A burst inside the same 100 ms waits for one update instead of five.
        for (var i = 2; i <= 6; i++)
        {
            hub.Publish("luminosity", i, time.GetUtcNow());
        }
        Assert.Single(chartModule.Invocations["appendPoints"]);
        time.Advance(TimeSpan.FromMilliseconds(100));
        cut.WaitForAssertion(() => Assert.Equal(2, chartModule.Invocations["appendPoints"].Count));
        Assert.Equal([2.0, 3, 4, 5, 6], Points(1).Select(p => p.Y));
        cut.WaitForAssertion(() => Assert.Equal("6", cut.Find("[data-testid=latest-value]").TextContent));
    }

    [Fact]
    public async Task Unsubscribes_from_the_hub_when_disposed()
    {
        Render<Home>();
        Assert.Equal(1, hub.SubscriberCount);

        await DisposeComponentsAsync();

        Assert.Equal(0, hub.SubscriberCount);
        chartModule.VerifyInvoke("destroyChart");
    }

    private IReadOnlyList<ChartPoint> Points(int append) =>
        Assert.IsAssignableFrom<IReadOnlyList<ChartPoint>>(chartModule.Invocations["appendPoints"][append].Arguments[1]);
}
