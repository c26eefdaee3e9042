using System.Text.Json;
using Microsoft.Playwright;

namespace BlazorIot.Tests.E2E;

/// <summary>
/// Every page, on a desktop and on a phone: no accessibility violation axe-core can find (WCAG 2.x
/// A and AA, and best practices), no sideways scrolling, and a header that stays one row.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser, AccessibilityServers servers) : IClassFixture<AccessibilityServers>
{
    private const string ChartPoints = "() => { const c = Chart.getChart(document.querySelector('canvas')); return c ? c.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0; }";

    // The header's items that are on screen, as boxes, with the header's own height.
    private const string HeaderBoxes = """
        () => {
            const header = document.querySelector('header.top-bar');
            if (!header) return null;
            const items = [...header.querySelectorAll('.brand, .top-bar-status > *, .menu-button, nav > a')]
                .map(e => ({ name: e.innerText.trim(), box: e.getBoundingClientRect() }))
                .filter(e => e.box.width > 0 && e.box.height > 0)
                .map(e => ({ name: e.name, top: e.box.top, bottom: e.box.bottom }));
            return JSON.stringify({ height: header.getBoundingClientRect().height, items });
        }
        """;

    /// <summary>Each page on a desktop and a phone in the light theme, and on a phone in the dark one.</summary>
    public static TheoryData<string, int, ColorScheme> PagesAndWidths()
    {
        string[] pages = ["sensors", "sensor", "sensor-settings", "compare", "connect", "plain", "sign-in", "notifications"];
        var data = new TheoryData<string, int, ColorScheme>();
        foreach (var page in pages)
        {
            data.Add(page, 1280, ColorScheme.Light);
            data.Add(page, 390, ColorScheme.Light);
            data.Add(page, 390, ColorScheme.Dark);
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(PagesAndWidths))]
    public async Task Every_page_has_no_accessibility_violation_and_fits_the_screen(string name, int width, ColorScheme scheme)
    {
        var context = await browser.RequireBrowser().NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 800 }, ColorScheme = scheme, BypassCSP = true });
        await using var _ = context;
        var page = await context.NewPageAsync();

        await OpenAsync(page, name);

        var violations = await AxeScan.ViolationsAsync(page);
        Assert.True(violations.Count == 0, $"axe found {violations.Count} violation(s) on {name} at {width} px ({scheme}):\n{AxeScan.Describe(violations)}");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            $"{name} scrolls sideways at {width} px");
        await AssertHeaderIsOneRowAsync(page, name, width);
    }

    [SkippableFact]
    public async Task The_scan_reports_what_it_finds_with_where_and_why()
    {
        var context = await browser.RequireBrowser().NewContextAsync(new() { BypassCSP = true });
        await using var _ = context;
        var page = await context.NewPageAsync();
        await page.SetContentAsync("""
            <!DOCTYPE html><html lang="en"><head><title>Broken</title></head>
            <body><main><h1>Broken</h1><img src="data:," id="no-alt"><p id="faint" style="color:#ccc;background:#fff">faint</p></main></body></html>
            """);

        var violations = await AxeScan.ViolationsAsync(page);

        Assert.Equal(["color-contrast", "image-alt"], violations.Select(v => v.Id).Order());
        var report = AxeScan.Describe(violations);
        Assert.Contains("#no-alt", report);
        Assert.Contains("#faint", report);
        Assert.Contains("(critical)", report);
    }

    private async Task OpenAsync(IPage page, string name)
    {
        var live = page.Locator("#connection-state");
        switch (name)
        {
            case "sensors":
                await page.GotoAsync(Url("/"));
                await Assertions.Expect(live).ToHaveAttributeAsync("data-state", "live");
                await Assertions.Expect(page.Locator($"article[data-sensor='{AccessibilityServers.Sensor}'] canvas")).ToBeVisibleAsync();
                break;
            case "sensor":
                await page.GotoAsync(Url($"/sensors/{AccessibilityServers.Sensor}"));
                await Assertions.Expect(live).ToHaveAttributeAsync("data-state", "live");
                await page.WaitForFunctionAsync($"() => ({ChartPoints})() > 0");
                break;
            case "sensor-settings":
                await page.GotoAsync(Url($"/sensors/{AccessibilityServers.Sensor}"));
                await Assertions.Expect(live).ToHaveAttributeAsync("data-state", "live");
                await page.GetByTestId("table-toggle").ClickAsync();
                await Assertions.Expect(page.GetByTestId("data-table")).ToBeVisibleAsync();
                // The delete confirmation: a typed id, or a second button, as the server is set up.
                var confirm = page.GetByTestId("delete-confirm");
                if (await confirm.CountAsync() > 0)
                {
                    await confirm.FillAsync("la");
                }
                else
                {
                    await page.GetByTestId("delete-start").ClickAsync();
                }
                await Assertions.Expect(page.GetByTestId("delete-submit")).ToBeVisibleAsync();
                break;
            case "compare":
                await page.GotoAsync(Url("/compare"));
                await Assertions.Expect(live).ToHaveAttributeAsync("data-state", "live");
                await page.Locator($"input[data-sensor='{AccessibilityServers.Sensor}']").CheckAsync();
                await Assertions.Expect(page.GetByTestId("compare-note")).ToContainTextAsync("1 sensor");
                await page.WaitForFunctionAsync($"() => ({ChartPoints})() > 0");
                break;
            case "connect":
                await page.GotoAsync(Url("/devices/connect"));
                await Assertions.Expect(live).ToHaveAttributeAsync("data-state", "live");
                break;
            case "plain":
                await page.GotoAsync(Url("/contenu/index.html"));
                await Assertions.Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");
                break;
            case "sign-in":
                await page.GotoAsync(new Uri(servers.Guarded.BaseAddress, "/login").ToString());
                await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
                break;
            case "notifications":
                // A channel with its delivery log open, a test's answer shown and the edit form open.
                await page.GotoAsync(Url("/settings/notifications"));
                await Assertions.Expect(live).ToHaveAttributeAsync("data-state", "live");
                var channel = page.GetByTestId("channel").Filter(new() { HasText = AccessibilityServers.Channel });
                await channel.GetByTestId("channel-test").ClickAsync();
                await Assertions.Expect(channel.GetByTestId("channel-test-outcome")).ToContainTextAsync("Not delivered");
                await channel.GetByTestId("channel-log-toggle").ClickAsync();
                await Assertions.Expect(channel.GetByTestId("delivery").First).ToBeVisibleAsync();
                await channel.GetByTestId("channel-edit").ClickAsync();
                await Assertions.Expect(page.GetByTestId("channel-form")).ToBeVisibleAsync();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "No such page in the accessibility pass.");
        }
    }

    private string Url(string path) => new Uri(servers.Open.BaseAddress, path).ToString();

    private static async Task AssertHeaderIsOneRowAsync(IPage page, string name, int width)
    {
        var json = await page.EvaluateAsync<string?>(HeaderBoxes);
        if (json is null)
        {
            // The plain page and the sign-in page have no dashboard header.
            return;
        }
        var header = JsonSerializer.Deserialize<HeaderLayout>(json, JsonSerializerOptions.Web)!;
        var names = header.Items.Select(i => i.Name).ToList();
        Assert.Contains("BlazorIot", names);
        Assert.Contains("live", names);
        Assert.Contains("ingest is open", names);
        Assert.Equal(width < 640, names.Contains("Menu"));
        Assert.Equal(width >= 640, names.Contains("Compare"));
        // One row: every box crosses the same horizontal line.
        var lowestTop = header.Items.Max(i => i.Top);
        var highestBottom = header.Items.Min(i => i.Bottom);
        Assert.True(lowestTop < highestBottom, $"the header of {name} wraps at {width} px: {json}");
        Assert.True(header.Height < 64, $"the header of {name} is {header.Height} px high at {width} px: {json}");
    }

    private sealed record HeaderLayout(double Height, HeaderItem[] Items);

    private sealed record HeaderItem(string Name, double Top, double Bottom);
}
