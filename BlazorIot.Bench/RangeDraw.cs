using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace BlazorIot.Bench;

/// <summary>
/// How long the sensor page takes to draw seven days of a sensor reporting every 3 s (201,600
/// readings): from the click on "7 d" until the chart holds the min–max band and the average.
/// </summary>
internal static class RangeDraw
{
    private const int Readings = 7 * 24 * 60 * 20;

    public static async Task<int> RunAsync(string serverDll)
    {
        await using var server = await ServerProcess.StartAsync(serverDll, workstationGc: false);
        using var client = new HttpClient { BaseAddress = server.Address };
        var start = DateTimeOffset.UtcNow.AddDays(-7);
        var seed = Stopwatch.StartNew();
        for (var first = 0; first < Readings; first += 1000)
        {
            var batch = Enumerable.Range(first, Math.Min(1000, Readings - first))
                .Select(i => new { sensor = "week", value = Math.Round(300 + (200 * Math.Sin(i / 1200.0)), 1), timestamp = start.AddSeconds(3 * i).ToUnixTimeMilliseconds() });
            using var response = await client.PostAsJsonAsync("/api/readings", batch);
            response.EnsureSuccessStatusCode();
        }
        seed.Stop();

        Assertions.SetDefaultExpectTimeout(60_000);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.Address, "/sensors/week").ToString());
        await Assertions.Expect(page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live");
        var times = new List<double>();
        foreach (var round in Enumerable.Range(0, 5))
        {
            await page.Locator("[data-range='live']").ClickAsync();
            await page.WaitForFunctionAsync("() => Chart.getChart(document.querySelector('.chart-box canvas')).data.datasets.length === 1");
            var clock = Stopwatch.StartNew();
            await page.Locator("[data-range='7d']").ClickAsync();
            await page.WaitForFunctionAsync("() => Chart.getChart(document.querySelector('.chart-box canvas')).data.datasets.length === 3");
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        var note = await page.GetByTestId("range-note").TextContentAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {Readings} readings in {seed.Elapsed.TotalSeconds:0.0} s ({Readings / seed.Elapsed.TotalSeconds:0} readings/s, batches of 1000)"));
        Console.WriteLine($"7 d view: {note}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"click to drawn, 5 runs: min {times[0]:0} ms, median {times[2]:0} ms, max {times[^1]:0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"scenario\":\"range7d\",\"readings\":{Readings},\"drawMsMedian\":{times[2]:0},\"drawMsMax\":{times[^1]:0}}}"));
        return 0;
    }
}
