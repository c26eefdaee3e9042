using Microsoft.Playwright;

namespace BlazorIot.Tests.E2E;

[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture browser)
{
    [SkippableFact]
    public async Task A_viewer_signs_in_and_gets_the_live_dashboard()
    {
        await using var session = await BrowserSession.OpenAsync(browser.RequireBrowser(), new Dictionary<string, string?> { ["Dashboard:Password"] = "open sesame" });
        var page = session.Page;
        await session.PostAsync(("guarded", 5, null));

        await page.GotoAsync(session.Server.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await page.Locator("input[name=password]").FillAsync("open sesame");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live");
        await session.PostAsync(("guarded", 6, null));
        await Assertions.Expect(page.Locator("article[data-sensor='guarded'] [data-testid=value]")).ToHaveTextAsync("6");
        Assert.Empty(session.Errors);
    }
}
