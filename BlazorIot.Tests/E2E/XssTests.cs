using System.Net.Http.Json;
using Microsoft.Playwright;

namespace BlazorIot.Tests.E2E;

[Collection(BrowserCollection.Name)]
public sealed class XssTests(BrowserFixture browser)
{
    private const string Probe = "<img src=x onerror=alert(1)>";

    [SkippableFact]
    public async Task A_sensor_name_with_markup_shows_as_text_and_runs_nothing()
    {
        await using var session = await BrowserSession.OpenAsync(browser.RequireBrowser());
        var page = session.Page;
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        await session.PostAsync(("probe", 1, null));
        (await session.Client.PutAsJsonAsync("/api/sensors/probe", new { name = Probe, unit = "<b>u</b>" })).EnsureSuccessStatusCode();

        foreach (var path in new[] { "/", "/sensors/probe", "/compare" })
        {
            await page.GotoAsync(new Uri(session.Server.BaseAddress, path).ToString());
            await Assertions.Expect(page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live");
            Assert.Equal(0, await page.Locator("main img").CountAsync());
        }
        await page.GotoAsync(session.Server.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("article[data-sensor='probe'] h2")).ToHaveTextAsync(Probe);
        await Assertions.Expect(page.Locator("article[data-sensor='probe'] .unit")).ToHaveTextAsync("<b>u</b>");

        Assert.Empty(dialogs);
        Assert.Empty(session.Errors);
    }
}
