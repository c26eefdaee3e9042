using System.Text.Json;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorIot.Tests.E2E;

[Collection(BrowserCollection.Name)]
public sealed class LiveChartTests(BrowserFixture browser)
{
    // The values Chart.js holds for the first canvas on the page: {x, y} points on the dashboard, plain numbers on the plain page.
    private const string ChartValues =
        "() => { const c = window.Chart && Chart.getChart(document.querySelector('canvas')); " +
        "return c ? c.data.datasets[0].data.map(p => typeof p === 'number' ? p : p.y) : null; }";

    [SkippableFact]
    public async Task The_dashboard_draws_the_ingested_values_live()
    {
        await using var session = await BrowserSession.OpenAsync(browser.RequireBrowser());
        var (server, client, page) = (session.Server, session.Client, session.Page);

        (await client.GetAsync("/luminosity/120")).EnsureSuccessStatusCode();
        await page.GotoAsync(server.BaseAddress.ToString());
        // The chart exists once the circuit is interactive; it starts with the current window.
        await WaitForValuesAsync(page, [120]);
        (await client.GetAsync("/luminosity/-45")).EnsureSuccessStatusCode();
        (await client.GetAsync("/luminosity/310")).EnsureSuccessStatusCode();

        await WaitForValuesAsync(page, [120, -45, 310]);
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("310");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "dashboard.png"), FullPage = true });
        Assert.Empty(session.Errors);
    }

    [SkippableFact]
    public async Task The_chart_module_applies_every_rendered_batch_once_even_when_several_land_together()
    {
        await using var session = await BrowserSession.OpenAsync(browser.RequireBrowser());
        var (server, client, page) = (session.Server, session.Client, session.Page);
        (await client.GetAsync("/luminosity/1")).EnsureSuccessStatusCode();
        await page.GotoAsync(server.BaseAddress.ToString());
        await WaitForValuesAsync(page, [1]);

        // Three renders' attribute changes before the observer runs (as when batches queue up),
        // then a batch seen before, as after a reconnect: each new one is drawn once, in order.
        var values = await page.EvaluateAsync<double[]>("""
            async () => {
                const chartModule = await import(new URL('_content/BlazorIot.Shared/Charts/LineChart.razor.js', document.baseURI));
                const holder = document.createElement('div');
                const canvas = document.createElement('canvas');
                holder.append(canvas);
                document.body.append(holder);
                chartModule.createChart(canvas, JSON.stringify({ series: [{ label: 't', color: '#000', points: [{ x: 0, y: 0 }], kind: 'Line' }], capacity: 3 }));
                const batch = (generation, ...ys) => JSON.stringify({ generation, appends: [{ series: 0, points: ys.map((y, i) => ({ x: generation * 10 + i, y })) }] });
                holder.setAttribute('data-appended', batch(1, 5));
                holder.setAttribute('data-appended', batch(2, 6, 7));
                holder.setAttribute('data-appended', batch(3, 8));
                await new Promise(resolve => setTimeout(resolve, 0));
                holder.setAttribute('data-appended', batch(2, 6, 7));
                await new Promise(resolve => setTimeout(resolve, 0));
                const drawn = Chart.getChart(canvas).data.datasets[0].data.map(point => point.y);
                chartModule.destroyChart(canvas);
                holder.remove();
                return drawn;
            }
            """);

        Assert.Equal([6.0, 7, 8], values);
        Assert.Empty(session.Errors);
    }

    [SkippableFact]
    public async Task The_plain_page_draws_the_ingested_values_and_shows_it_is_live()
    {
        await using var session = await BrowserSession.OpenAsync(browser.RequireBrowser());
        var (server, client, page) = (session.Server, session.Client, session.Page);

        await page.GotoAsync(new Uri(server.BaseAddress, "/contenu/index.html").ToString());
        await Assertions.Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");
        foreach (var value in new[] { 7, -20, 33 })
        {
            (await client.GetAsync($"/luminosity/{value}")).EnsureSuccessStatusCode();
        }

        await WaitForValuesAsync(page, [7, -20, 33]);
        // One chart on one canvas, updated in place: the original page piled a new chart up per message.
        Assert.Equal(1, await page.EvaluateAsync<int>("() => Object.keys(Chart.instances).length"));
        Assert.True(await page.EvaluateAsync<bool>("() => Chart.getChart(document.querySelector('canvas')).scales.y.min <= -20"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "plain-page.png"), FullPage = true });
        Assert.Empty(session.Errors);
    }

    [SkippableFact]
    public async Task The_plain_page_comes_back_by_itself_after_a_restart()
    {
        var path = LiveServer.NewDatabasePath();
        try
        {
            var first = LiveServer.Start(databasePath: path);
            var port = first.BaseAddress.Port;
            await using var context = await browser.RequireBrowser().NewContextAsync();
            var page = await context.NewPageAsync();
            var streams = new System.Collections.Concurrent.ConcurrentQueue<IResponse>();
            page.Response += (_, response) =>
            {
                if (response.Url.EndsWith("/connexion", StringComparison.Ordinal))
                {
                    streams.Enqueue(response);
                }
            };
            await page.GotoAsync(new Uri(first.BaseAddress, "/contenu/index.html").ToString());
            await Assertions.Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");
            using (var client = first.CreateNetworkClient())
            {
                (await client.GetAsync("/luminosity/7")).EnsureSuccessStatusCode();
            }
            await WaitForValuesAsync(page, [7]);

            await first.DisposeAsync();
            await using var second = LiveServer.Start(databasePath: path, port: port);
            await Eventually.TrueAsync(() => streams.Count >= 2, "the page reconnects", TimeSpan.FromSeconds(15));
            using (var client = second.CreateNetworkClient())
            {
                (await client.GetAsync("/luminosity/8")).EnsureSuccessStatusCode();
            }

            await WaitForValuesAsync(page, [7, 8]);
            // The page's EventSource came back on its own to the restarted server's stream.
            var headers = await streams.Last().AllHeadersAsync();
            Assert.StartsWith("text/event-stream", headers["content-type"], StringComparison.Ordinal);
            Assert.Equal("nosniff", headers["x-content-type-options"]);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    private static async Task WaitForValuesAsync(IPage page, double[] expected)
    {
        var json = JsonSerializer.Serialize(expected);
        try
        {
            await page.WaitForFunctionAsync(
                $"expected => JSON.stringify(({ChartValues})()) === expected",
                json,
                new() { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            var actual = await page.EvaluateAsync<JsonElement>(ChartValues);
            Assert.Fail($"The chart shows {actual} instead of {json}.");
        }
    }
}
