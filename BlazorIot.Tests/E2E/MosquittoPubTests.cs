using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace BlazorIot.Tests.E2E;

/// <summary>A reading from the MQTT tool a user already has, Debian's mosquitto_pub, drawn on the dashboard.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MosquittoPubTests(BrowserFixture browser)
{
    private const string MosquittoPub = "/usr/bin/mosquitto_pub";

    [SkippableFact]
    public async Task A_reading_published_with_mosquitto_pub_appears_on_the_dashboard()
    {
        Skip.If(!File.Exists(MosquittoPub) && !BrowserFixture.OnCi, $"{MosquittoPub} is missing (Debian package mosquitto-clients).");
        await using var session = await BrowserSession.OpenAsync(browser.RequireBrowser());
        var page = session.Page;
        await page.GotoAsync(session.Server.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live");

        var port = session.Server.MqttPort.ToString(CultureInfo.InvariantCulture);
        var (exitCode, output) = await RunAsync(MosquittoPub, "-h", "127.0.0.1", "-p", port, "-t", "blazoriot/sensors/porch/readings", "-m", "412", "-q", "1");
        Assert.True(exitCode == 0, $"mosquitto_pub exited with {exitCode}: {output}");

        var card = page.Locator("article[data-sensor='porch']");
        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(card.GetByTestId("value")).ToHaveTextAsync("412");
        await session.ScreenshotAsync("mosquitto-pub-reading.png");
        Assert.Empty(session.Errors);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
        return (process.ExitCode, await output + await error);
    }
}
