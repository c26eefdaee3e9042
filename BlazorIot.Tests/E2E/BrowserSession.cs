using BlazorIot.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorIot.Tests.E2E;

/// <summary>A fresh server and a fresh browser page on it, recording every error the page reports.</summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    private BrowserSession(LiveServer server, IBrowserContext context, IPage page)
    {
        Server = server;
        Client = server.CreateNetworkClient();
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => Errors.Add(error);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Errors.Add($"{response.Status} {response.Url}");
            }
        };
    }

    public LiveServer Server { get; }

    public HttpClient Client { get; }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Console errors, uncaught exceptions and failed requests of the page.</summary>
    public List<string> Errors { get; } = [];

    public static async Task<BrowserSession> OpenAsync(IBrowser browser, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var server = LiveServer.Start(settings: settings);
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1000, Height = 700 } });
        return new BrowserSession(server, context, await context.NewPageAsync());
    }

    /// <summary>Stores readings through the JSON API (a null timestamp: the server's time).</summary>
    public async Task PostAsync(params (string Sensor, double Value, DateTimeOffset? Timestamp)[] readings)
    {
        using var response = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(
            Client, "/api/readings", readings.Select(r => new { sensor = r.Sensor, value = r.Value, timestamp = r.Timestamp }));
        response.EnsureSuccessStatusCode();
    }

    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, name), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
