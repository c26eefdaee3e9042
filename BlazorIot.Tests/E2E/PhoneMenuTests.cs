using Microsoft.Playwright;

namespace BlazorIot.Tests.E2E;

/// <summary>The main menu on a phone: behind a button in the header, by mouse or keyboard, with or without the Blazor circuit.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneMenuTests(BrowserFixture browser)
{
    private const string Focused = "() => document.activeElement?.closest('#main-menu') ? 'menu' : document.activeElement?.dataset.testid ?? document.activeElement?.tagName";

    [SkippableFact]
    public async Task The_menu_opens_by_click_and_by_keyboard_a_link_navigates_and_escape_closes_it()
    {
        await using var session = await BrowserSession.OpenAsync(browser.RequireBrowser());
        var page = session.Page;
        await page.SetViewportSizeAsync(390, 800);
        await page.GotoAsync(session.Server.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live");
        var button = page.GetByRole(AriaRole.Button, new() { Name = "Menu" });
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

        await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-controls", "main-menu");
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Compare" })).ToBeHiddenAsync();

        // By click; Escape closes and leaves focus on the button.
        await button.ClickAsync();
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "true");
        foreach (var link in new[] { "Sensors", "Compare", "Connect a device", "Notifications", "Plain page", "API" })
        {
            await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = link })).ToBeVisibleAsync();
        }
        await session.ScreenshotAsync("menu-phone-open.png");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Compare" })).ToBeHiddenAsync();
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "false");
        Assert.Equal("menu-button", await page.EvaluateAsync<string>(Focused));
        await session.ScreenshotAsync("menu-phone-closed.png");

        // By keyboard from the top of the page: Tab to the button, Enter, Tab into the links.
        await page.EvaluateAsync("() => document.activeElement?.blur()");
        for (var presses = 0; presses < 10 && await page.EvaluateAsync<string>(Focused) != "menu-button"; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Equal("menu-button", await page.EvaluateAsync<string>(Focused));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Compare" })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("menu", await page.EvaluateAsync<string>(Focused));
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Compare" })).ToBeHiddenAsync();
        Assert.Equal("menu-button", await page.EvaluateAsync<string>(Focused));

        // A link navigates, and the menu closes behind it.
        await button.ClickAsync();
        await menu.GetByRole(AriaRole.Link, new() { Name = "Compare" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(session.Server.BaseAddress, "/compare").ToString());
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Compare sensors");
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Compare" })).ToBeHiddenAsync();
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "false");
        Assert.Empty(session.Errors);
    }

    [SkippableFact]
    public async Task The_menu_works_on_the_prerendered_page_before_the_circuit_is_live()
    {
        await using var session = await BrowserSession.OpenAsync(browser.RequireBrowser());
        var page = session.Page;
        await page.SetViewportSizeAsync(390, 800);
        // Without Blazor's script the page stays as the server prerendered it.
        await page.RouteAsync("**/_framework/blazor.web*.js", route => route.AbortAsync());
        await page.GotoAsync(session.Server.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "connecting");
        var button = page.GetByRole(AriaRole.Button, new() { Name = "Menu" });
        var compare = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Compare" });

        await button.ClickAsync();
        await Assertions.Expect(compare).ToBeVisibleAsync();
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "true");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(compare).ToBeHiddenAsync();

        await button.ClickAsync();
        await compare.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(session.Server.BaseAddress, "/compare").ToString());
    }

    [SkippableFact]
    public async Task On_a_wide_screen_the_links_show_in_the_header_and_the_button_does_not()
    {
        await using var session = await BrowserSession.OpenAsync(browser.RequireBrowser());
        var page = session.Page;
        await page.SetViewportSizeAsync(1280, 800);
        await page.GotoAsync(session.Server.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live");

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Menu" })).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Compare" })).ToBeVisibleAsync();

        // Narrowed, the links go behind the button.
        await page.SetViewportSizeAsync(390, 800);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Menu" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Compare" })).ToBeHiddenAsync();
        Assert.Empty(session.Errors);
    }
}
