using BlazorIot.Server.Dashboard.Pages;
using BlazorIot.Server.Ingest;
using BlazorIot.Tests.Infrastructure;
using Bunit;

namespace BlazorIot.Tests.Dashboard;

public sealed class HomeTests : DashboardTestContext
{

    [Fact]
    public async Task Shows_a_card_per_sensor_with_its_recent_readings_and_latest_value()
    {
        var now = Host.Time.GetUtcNow();
        await Host.IngestAsync(new ReadingInput("beta", 2, now.AddSeconds(-3)), new ReadingInput("alpha", 410, now.AddSeconds(-3)), new ReadingInput("alpha", 415, now));

        var cut = Render<Home>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("article.card").Count));
        var cards = cut.FindAll("article.card");
        Assert.Equal(["alpha", "beta"], cards.Select(c => c.GetAttribute("data-sensor")));
        Assert.Equal("415", cards[0].QuerySelector("[data-testid=value]")!.TextContent);
        Assert.Equal("18:02:01", cards[0].QuerySelector("time")!.TextContent);
        var setup = Chart.Invocations["createChart"].Select(ChartCalls.Setup).Single(s => s.Series[0].Label == "alpha");
        Assert.Equal([410.0, 415.0], setup.Series[0].Points.Select(p => p.Y));
    }

    [Fact]
    public async Task A_sensor_that_reports_for_the_first_time_gets_its_card_live()
    {
        var cut = Render<Home>();
        Assert.NotNull(cut.Find("[data-testid=empty]"));

        await Host.IngestAsync(new ReadingInput("newcomer", 7));

        cut.WaitForAssertion(() => Assert.Equal("newcomer", cut.Find("article.card").GetAttribute("data-sensor")));
        cut.WaitForAssertion(() => Assert.Equal("7", cut.Find("[data-testid=value]").TextContent));
    }

    [Fact]
    public async Task A_card_turns_stale_and_its_rate_falls_with_time_alone()
    {
        foreach (var _ in Enumerable.Range(0, 4))
        {
            await Host.IngestAsync(new ReadingInput("quiet", 1));
            Host.Time.Advance(TimeSpan.FromSeconds(3));
        }
        var cut = Render<Home>();
        cut.WaitForAssertion(() => Assert.Equal("4", cut.Find("[data-testid=rate]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=stale]"));

        // No reading and no render asked for: only the dashboard's clock ticks.
        Host.Time.Advance(TimeSpan.FromSeconds(60));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=stale]")));
        Assert.Equal("0", cut.Find("[data-testid=rate]").TextContent);
    }

    [Fact]
    public async Task Leaves_no_subscription_behind_when_disposed()
    {
        await Host.IngestAsync(new ReadingInput("alpha", 1));
        var before = Host.Hub.SubscriberCount;
        var cut = Render<Home>();
        cut.WaitForAssertion(() => Assert.True(Host.Hub.SubscriberCount > before));

        await DisposeComponentsAsync();

        Assert.Equal(before, Host.Hub.SubscriberCount);
        Chart.VerifyInvoke("destroyChart");
    }
}
