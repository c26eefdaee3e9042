using Microsoft.Playwright;

namespace BlazorIot.Tests.E2E;

[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(BrowserFixture browser)
{
    private const string Datasets = "() => { const c = Chart.getChart(document.querySelector('.chart-box canvas')); return c ? c.data.datasets.map(d => d.data.length) : null; }";

    [SkippableFact]
    public async Task A_new_sensors_card_appears_live_on_desktop_and_phone()
    {
        await using var session = await BrowserSession.OpenAsync(browser.RequireBrowser());
        var page = session.Page;
        await page.GotoAsync(session.Server.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live");

        await session.PostAsync(("greenhouse", 21.5, null), ("greenhouse", 22, null));

        var card = page.Locator("article[data-sensor='greenhouse']");
        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(card.GetByTestId("value")).ToHaveTextAsync("22");
        // No device key exists: the dashboard says so, discreetly.
        await Assertions.Expect(page.GetByTestId("ingest-open")).ToBeVisibleAsync();
        await session.ScreenshotAsync("home-desktop.png");
        await page.SetViewportSizeAsync(360, 740);
        await session.ScreenshotAsync("home-phone.png");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 360"), "no sideways scrolling at phone width");
        Assert.Empty(session.Errors);
    }

    [SkippableFact]
    public async Task The_sensor_page_switches_to_aggregates_pauses_alerts_and_downloads_what_it_shows()
    {
        await using var session = await BrowserSession.OpenAsync(browser.RequireBrowser());
        var page = session.Page;
        var now = DateTimeOffset.UtcNow;
        await session.PostAsync([.. Enumerable.Range(1, 200).Select(i => ("lab", (double)(i % 7), (DateTimeOffset?)now.AddMinutes(-7 * i)))]);
        await session.PostAsync(("lab", 3, null));
        await page.GotoAsync(new Uri(session.Server.BaseAddress, "/sensors/lab").ToString());
        await Assertions.Expect(page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live");
        await page.WaitForFunctionAsync($"() => ({Datasets})()?.[0] === 201");

        // A long range redraws from aggregates: a min–max band and the average.
        await page.Locator("[data-range='24h']").ClickAsync();
        await page.WaitForFunctionAsync($"() => ({Datasets})()?.length === 3");
        await Assertions.Expect(page.GetByTestId("range-note")).ToContainTextAsync("buckets of 2 min");
        await session.ScreenshotAsync("sensor-desktop.png");

        // Wheel zooms in on the time axis; "Reset zoom" brings the whole range back.
        const string Span = "() => { const c = Chart.getChart(document.querySelector('.chart-box canvas')); return c.scales.x.max - c.scales.x.min; }";
        var fullSpan = await page.EvaluateAsync<double>(Span);
        await page.Locator(".chart-box canvas").HoverAsync();
        // Each wheel step zooms by 10 %.
        for (var step = 0; step < 3; step++)
        {
            await page.Mouse.WheelAsync(0, -200);
        }
        await page.WaitForFunctionAsync($"full => ({Span})() < full * 0.85", fullSpan);
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset zoom" }).ClickAsync();
        await page.WaitForFunctionAsync($"full => Math.abs(({Span})() - full) < 1", fullSpan);

        // The CSV holds the rows of the range shown.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("csv").ClickAsync());
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        var inDay = 1 + Enumerable.Range(1, 200).Count(i => i * 7 < 24 * 60);
        Assert.Equal("seq,sensor,timestamp,value,received,id", csv[0]);
        Assert.Equal(inDay, csv.Length - 1);

        // Paused, the live chart stops moving while the value still updates.
        await page.Locator("[data-range='live']").ClickAsync();
        await page.WaitForFunctionAsync($"() => ({Datasets})()?.length === 1");
        var before = await page.EvaluateAsync<int[]>(Datasets);
        await page.GetByTestId("pause").ClickAsync();
        await Assertions.Expect(page.GetByTestId("pause")).ToHaveAttributeAsync("aria-pressed", "true");
        await session.PostAsync(("lab", 4, null));
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("4");
        Assert.Equal(before, await page.EvaluateAsync<int[]>(Datasets));

        // A threshold set in the page, then crossed: the alert shows and enters the log.
        await page.GetByTestId("pause").ClickAsync();
        await page.GetByTestId("threshold-high").FillAsync("30");
        await page.GetByTestId("threshold-save").ClickAsync();
        await Assertions.Expect(page.Locator(".saved")).ToHaveTextAsync("Saved.");
        await session.PostAsync(("lab", 35, null));
        await Assertions.Expect(page.GetByTestId("alert")).ToContainTextAsync("above 30");
        await Assertions.Expect(page.GetByTestId("alert-log").Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("alert-log")).ToContainTextAsync("ongoing");
        await page.SetViewportSizeAsync(360, 740);
        await session.ScreenshotAsync("sensor-phone.png");
        Assert.Equal(360, await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"));
        Assert.Empty(session.Errors);
    }

    [SkippableFact]
    public async Task The_menu_marks_the_page_shown_as_the_user_moves_between_pages()
    {
        await using var session = await BrowserSession.OpenAsync(browser.RequireBrowser());
        var page = session.Page;
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await page.GotoAsync(session.Server.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live");
        await Assertions.Expect(menu.Locator("[aria-current=page]")).ToHaveTextAsync("Sensors");

        await menu.GetByText("Compare").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(session.Server.BaseAddress, "/compare").ToString());
        await Assertions.Expect(menu.Locator("[aria-current=page]")).ToHaveTextAsync("Compare");
        await Assertions.Expect(menu.Locator("a.active")).ToHaveCountAsync(1);

        await menu.GetByText("Connect a device").ClickAsync();
        await Assertions.Expect(menu.Locator("a.active")).ToHaveTextAsync("Connect a device");
        Assert.Empty(session.Errors);
    }

    [SkippableFact]
    public async Task Onboarding_fills_in_the_servers_real_address()
    {
        await using var session = await BrowserSession.OpenAsync(browser.RequireBrowser());
        var page = session.Page;
        var server = session.Server.BaseAddress.ToString().TrimEnd('/');

        await page.GotoAsync($"{server}/devices/connect");

        await Assertions.Expect(page.GetByTestId("server-url")).ToHaveTextAsync(server);
        var snippets = await page.Locator("section:not(#mqtt) pre").AllTextContentsAsync();
        Assert.Equal(6, snippets.Count);
        Assert.All(snippets, s => Assert.Contains(server, s, StringComparison.Ordinal));
        Assert.Contains(snippets, s => s.Contains($"url = \"{server}/luminosity/%s\"", StringComparison.Ordinal));
        // The embedded broker's real port (a free one here), not MQTT's default.
        var mqtt = await page.Locator("#mqtt pre").AllTextContentsAsync();
        Assert.Equal($"mqtt://127.0.0.1:{session.Server.MqttPort}", mqtt[0]);
        Assert.Equal($"ws://{session.Server.BaseAddress.Authority}/mqtt", mqtt[1]);
        await session.ScreenshotAsync("connect-desktop.png");
        await page.SetViewportSizeAsync(360, 740);
        await session.ScreenshotAsync("connect-phone.png");
        Assert.Equal(360, await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"));
        Assert.Empty(session.Errors);
    }
}
