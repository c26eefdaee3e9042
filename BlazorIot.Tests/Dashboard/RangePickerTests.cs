using BlazorIot.Server.Dashboard;
using BlazorIot.Tests.Live;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Dashboard;

public sealed class RangePickerTests : BunitContext
{
    private readonly List<ChosenRange> chosen = [];

    public RangePickerTests()
    {
        var time = HubFactory.Clock();
        time.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
        Services.AddSingleton<TimeProvider>(time);
    }

    private IRenderedComponent<RangePicker> RenderPicker() =>
        Render<RangePicker>(p => p.Add(c => c.Selected, ChosenRange.Live).Add(c => c.SelectedChanged, (ChosenRange range) => chosen.Add(range)));

    [Fact]
    public void Offers_the_presets_and_reports_the_one_chosen()
    {
        var cut = RenderPicker();

        Assert.Equal(["live", "15m", "1h", "24h", "7d"], cut.FindAll("button.range").Select(b => b.GetAttribute("data-range")));
        Assert.Equal("true", cut.Find("[data-range='live']").GetAttribute("aria-pressed"));
        cut.Find("[data-range='24h']").Click();

        Assert.Equal(TimeSpan.FromDays(1), Assert.Single(chosen).Span);
        Assert.False(chosen[0].FollowsLive);
        Assert.Equal("true", cut.Find("[data-range='24h']").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void A_custom_range_is_read_in_the_servers_local_time_and_must_end_after_it_starts()
    {
        var cut = RenderPicker();

        cut.Find("[data-testid=custom-from]").Change("2026-11-28T10:00:00");
        cut.Find("[data-testid=custom-to]").Change("2026-11-28T09:00:00");
        cut.Find("[data-testid=custom-apply]").Click();
        Assert.Empty(chosen);
        Assert.Equal("Pick a start before the end.", cut.Find("[role=alert]").TextContent);

        cut.Find("[data-testid=custom-to]").Change("2026-11-28T12:30:00");
        cut.Find("[data-testid=custom-apply]").Click();

        var range = Assert.Single(chosen);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero), range.From);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 11, 30, 0, TimeSpan.Zero), range.To);
    }

    [Fact]
    public void Long_ranges_are_drawn_in_about_720_buckets()
    {
        var now = HubFactory.Start;
        Assert.Equal(TimeSpan.FromSeconds(840), ChosenRange.BucketFor(now.AddDays(-7), now));
        Assert.Equal(TimeSpan.FromSeconds(1), ChosenRange.BucketFor(now.AddMinutes(-5), now));
    }
}
