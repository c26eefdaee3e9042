using BlazorIot.Server.Notifications;
using BlazorIot.Tests.Notifications;
using Microsoft.Playwright;

namespace BlazorIot.Tests.E2E;

[Collection(BrowserCollection.Name)]
public sealed class NotificationSettingsE2ETests(BrowserFixture browser)
{
    [SkippableFact]
    public async Task A_webhook_channel_added_on_the_page_sends_a_signed_test_that_the_page_reports_delivered()
    {
        await using var session = await BrowserSession.OpenAsync(browser.RequireBrowser());
        await using var receiver = await TestReceiver.StartAsync();
        const string Secret = "e2e-signing-secret";
        var page = session.Page;
        await page.GotoAsync(new Uri(session.Server.BaseAddress, "/settings/notifications").ToString());
        await Assertions.Expect(page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Notifications");

        await page.GetByLabel("Name").FillAsync("Local hook");
        await page.GetByLabel("URL").FillAsync(receiver.Url.ToString());
        await page.GetByLabel("Signing secret (optional)").FillAsync(Secret);
        await page.GetByTestId("channel-save").ClickAsync();

        var channel = page.GetByTestId("channel");
        await Assertions.Expect(channel.GetByTestId("channel-title")).ToContainTextAsync("Local hook");
        await Assertions.Expect(channel.GetByTestId("channel-target")).ToHaveTextAsync(receiver.Url.ToString());
        await channel.GetByTestId("channel-test").ClickAsync();
        await Assertions.Expect(channel.GetByRole(AriaRole.Status)).ToHaveTextAsync("Delivered HTTP 200 — thanks");

        var request = Assert.Single(receiver.Requests);
        Assert.True(WebhookSignature.Verify(Secret, request.Body, request.Headers.GetValueOrDefault(WebhookSignature.Header)), "the request is signed with the channel's secret");

        await channel.GetByTestId("channel-log-toggle").ClickAsync();
        await Assertions.Expect(channel.GetByTestId("delivery-status")).ToHaveTextAsync("delivered");
        Assert.Empty(session.Errors);
    }
}
