using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace BlazorIot.Bench;

/// <summary>
/// Server memory per open dashboard: opens dashboards (one Blazor circuit each, in headless
/// Chromium) in two steps while 20 sensors report once a second, and divides the growth of the
/// server's resident memory between the steps by the number of dashboards added.
/// </summary>
internal static class CircuitMemory
{
    private const int Sensors = 20;

    public static async Task<int> RunAsync(string serverDll, int first, int second, bool workstationGc)
    {
        await using var server = await ServerProcess.StartAsync(serverDll, workstationGc);
        using var client = new HttpClient { BaseAddress = server.Address };
        using var stop = new CancellationTokenSource();
        var ingest = FeedAsync(client, stop.Token);

        Assertions.SetDefaultExpectTimeout(60_000);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var idle = await SettledResidentAsync(server);
        var pages = new List<IPage>();
        await OpenAsync(browser, server.Address, pages, first);
        var atFirst = await SettledResidentAsync(server);
        await OpenAsync(browser, server.Address, pages, second - first);
        var atSecond = await SettledResidentAsync(server);
        await stop.CancelAsync();
        await ingest;

        var perCircuit = (atSecond - atFirst) / (double)(second - first);
        Console.WriteLine($"GC: {(workstationGc ? "workstation" : "server (the default)")}");
        Console.WriteLine("| dashboards | server RSS (MB) |");
        Console.WriteLine("| ---: | ---: |");
        Console.WriteLine($"| 0 | {Mb(idle)} |");
        Console.WriteLine($"| {first} | {Mb(atFirst)} |");
        Console.WriteLine($"| {second} | {Mb(atSecond)} |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"server memory per dashboard circuit ({Sensors} live sensors): {perCircuit / 1024:0} kB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"scenario\":\"circuits\",\"gc\":\"{(workstationGc ? "workstation" : "server")}\",\"sensors\":{Sensors},\"rssIdle\":{idle},\"dashboards\":[{first},{second}],\"rss\":[{atFirst},{atSecond}],\"bytesPerCircuit\":{perCircuit:0}}}"));
        return 0;
    }

    private static async Task OpenAsync(IBrowser browser, Uri server, List<IPage> pages, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var page = await browser.NewPageAsync();
            await page.GotoAsync(server.ToString());
            await Assertions.Expect(page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live");
            await Assertions.Expect(page.Locator("article.card")).ToHaveCountAsync(Sensors);
            pages.Add(page);
        }
    }

    // The median of several readings a second apart, once the server has had time to settle.
    private static async Task<long> SettledResidentAsync(ServerProcess server)
    {
        var samples = new List<long>();
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 8; i++)
        {
            await tick.WaitForNextTickAsync();
            samples.Add(server.ResidentBytes());
        }
        samples.Sort();
        return samples[samples.Count / 2];
    }

    private static async Task FeedAsync(HttpClient client, CancellationToken stop)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var round = 0;
        try
        {
            do
            {
                round++;
                var readings = Enumerable.Range(1, Sensors).Select(s => new { sensor = $"s{s:00}", value = Math.Round(50 + (30 * Math.Sin((round + s) / 20.0)), 1) });
                using var response = await client.PostAsJsonAsync("/api/readings", readings, stop);
            }
            while (await tick.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
            // The measurement is over.
        }
    }

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
}
