using System.Globalization;
using System.Text;
using Microsoft.Playwright;

namespace BlazorIot.Tests.E2E;

[Collection(BrowserCollection.Name)]
public sealed class ManageSensorTests(BrowserFixture browser)
{
    [SkippableFact]
    public async Task A_sensor_is_described_given_history_from_a_file_renamed_and_deleted_from_its_page_while_another_page_follows()
    {
        await using var session = await BrowserSession.OpenAsync(browser.RequireBrowser());
        var page = session.Page;
        await session.PostAsync(("tmep", 21.456, null));
        var home = await session.Context.NewPageAsync();
        await home.GotoAsync(session.Server.BaseAddress.ToString());
        await page.GotoAsync(new Uri(session.Server.BaseAddress, "/sensors/tmep").ToString());
        await Assertions.Expect(page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live");
        await Assertions.Expect(home.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live");

        // Described here, shown at once on the other page too.
        await page.GetByTestId("describe-name").FillAsync("Greenhouse");
        await page.GetByTestId("describe-decimals").FillAsync("1");
        await page.GetByTestId("describe-save").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Greenhouse");
        var card = home.Locator("article[data-sensor='tmep']");
        await Assertions.Expect(card.Locator("h2")).ToHaveTextAsync("Greenhouse");
        await Assertions.Expect(card.GetByTestId("value")).ToHaveTextAsync("21.5");

        // A file of history streams up through the page, with a progress bar, and is stored whole.
        const int Rows = 100_000;
        var file = Path.Combine(Directory.CreateTempSubdirectory("blazoriot-upload-").FullName, "history.csv");
        var start = DateTimeOffset.UtcNow.AddDays(-20);
        var csv = new StringBuilder("timestamp,value\n");
        for (var i = 0; i < Rows; i++)
        {
            csv.Append(start.AddSeconds(10 * i).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)).Append(',').Append(i % 100).Append('\n');
        }
        await File.WriteAllTextAsync(file, csv.ToString());
        await page.GetByTestId("import-file").SetInputFilesAsync(file);
        await page.GetByTestId("import-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-progress")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("import-result")).ToHaveTextAsync("Stored 100,000 readings.", new() { Timeout = 120_000 });
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);

        // Renamed: this page moves to the new id; the other page's card follows.
        await page.GetByTestId("rename-to").FillAsync("temp");
        await page.GetByTestId("rename-submit").ClickAsync();
        await page.WaitForURLAsync("**/sensors/temp");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Greenhouse");
        await Assertions.Expect(home.Locator("article[data-sensor='temp'] h2")).ToHaveTextAsync("Greenhouse");
        await Assertions.Expect(home.Locator("article[data-sensor='tmep']")).ToHaveCountAsync(0);

        // Deleted, once its id is typed (no sign-in here): gone from every page.
        await Assertions.Expect(page.GetByTestId("delete-submit")).ToBeDisabledAsync();
        await page.GetByTestId("delete-confirm").FillAsync("temp");
        await page.GetByTestId("delete-submit").ClickAsync();
        await page.WaitForURLAsync(new Uri(session.Server.BaseAddress, "/").ToString());
        await Assertions.Expect(home.Locator("article.card")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("article.card")).ToHaveCountAsync(0);
        Assert.Empty(session.Errors);
    }
}
