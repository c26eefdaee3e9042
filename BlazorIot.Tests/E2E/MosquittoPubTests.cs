using System.Globalization;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorIot.Tests.E2E;

/// <summary>A reading from the MQTT tool a user already has, Debian's mosquitto_pub, drawn on the dashboard.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MosquittoPubTests(BrowserFixture browser)
{
    private const string MosquittoPub = MosquittoTools.Publish;

    [SkippableFact]
    public async Task A_reading_published_with_mosquitto_pub_appears_on_the_dashboard()
    {
        Skip.If(!File.Exists(MosquittoPub) && !BrowserFixture.OnCi, $"{MosquittoPub} is missing (Debian package mosquitto-clients).");
        await using var session = await BrowserSession.OpenAsync(browser.RequireBrowser());
        var page = session.Page;
        await page.GotoAsync(session.Server.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live");

        var port = session.Server.MqttPort.ToString(CultureInfo.InvariantCulture);
        var (exitCode, output) = await MosquittoTools.RunAsync(MosquittoPub, "-h", "127.0.0.1", "-p", port, "-t", "blazoriot/sensors/porch/readings", "-m", "412", "-q", "1");
        Assert.True(exitCode == 0, $"mosquitto_pub exited with {exitCode}: {output}");

        var card = page.Locator("article[data-sensor='porch']");
        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(card.GetByTestId("value")).ToHaveTextAsync("412");
        await session.ScreenshotAsync("mosquitto-pub-reading.png");
        Assert.Empty(session.Errors);
    }
}
