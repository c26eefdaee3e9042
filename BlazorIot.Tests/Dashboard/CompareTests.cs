using BlazorIot.Server.Dashboard.Pages;
using BlazorIot.Server.Ingest;
using BlazorIot.Server.Storage;
using BlazorIot.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Dashboard;

public sealed class CompareTests : DashboardTestContext
{

    [Fact]
    public async Task Draws_the_chosen_sensors_with_a_second_axis_for_another_unit()
    {
        var now = Host.Time.GetUtcNow().AddMinutes(-1);
        await Host.IngestAsync(new ReadingInput("temp-a", 20, now), new ReadingInput("temp-b", 22, now), new ReadingInput("hum", 55, now));
        var store = Services.GetRequiredService<ReadingStore>();
        await store.DescribeSensorAsync("temp-a", null, "°C", null, null, now, CancellationToken.None);
        await store.DescribeSensorAsync("temp-b", null, "°C", null, null, now, CancellationToken.None);
        await store.DescribeSensorAsync("hum", null, "%", null, null, now, CancellationToken.None);
        var cut = Render<Compare>();

        cut.Find("[data-sensor='temp-a']").Change(true);
        cut.Find("[data-sensor='hum']").Change(true);
        cut.Find("[data-sensor='temp-b']").Change(true);

        cut.WaitForAssertion(() => Assert.Equal(3, Chart.Invocations["replaceSeries"].Count));
        var series = ChartCalls.Series(Chart.Invocations["replaceSeries"][^1]);
        Assert.Equal(["temp-a (°C)", "hum (%)", "temp-b (°C)"], series.Select(s => s.Label));
        Assert.Equal([false, true, false], series.Select(s => s.SecondAxis));
        Assert.Equal([20.0], series[0].Points.Select(p => p.Y));
        Assert.Contains("second axis for %", cut.Find("[data-testid=compare-note]").TextContent);
    }
}
