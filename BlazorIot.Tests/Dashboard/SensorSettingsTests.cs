using BlazorIot.Server.Dashboard;
using BlazorIot.Server.Dashboard.Pages;
using BlazorIot.Server.Ingest;
using BlazorIot.Server.Security;
using BlazorIot.Shared.Readings;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Dashboard;

public sealed class SensorSettingsTests : DashboardTestContext
{
    [Fact]
    public async Task A_description_saved_in_the_panel_shows_at_once_on_the_page_and_on_another_dashboard()
    {
        await Host.IngestAsync(new ReadingInput("s", 21.456));
        var page = Render<SensorPage>(p => p.Add(c => c.Id, "s"));
        var other = Render<Home>();
        other.WaitForAssertion(() => Assert.Equal("21.46", other.Find("[data-testid=value]").TextContent));

        page.Find("[data-testid=describe-name]").Change("Greenhouse");
        page.Find("[data-testid=describe-unit]").Change("°C");
        page.Find("[data-testid=describe-decimals]").Change("1");
        page.Find("[data-testid=describe-description]").Change("North wall\nin the shade");
        await page.Find("[data-testid=describe-save]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("Greenhouse", page.Find("h1").TextContent));
        Assert.Equal("21.5", page.Find("[data-testid=value]").TextContent);
        Assert.Equal("North wall\nin the shade", page.Find("[data-testid=description]").TextContent);
        other.WaitForAssertion(() => Assert.Equal("Greenhouse", other.Find("article.card h2").TextContent));
        other.WaitForAssertion(() => Assert.Equal("21.5", other.Find("[data-testid=value]").TextContent));
        Assert.Equal("°C", other.Find("article.card .unit").TextContent);
        var stored = await Host.Store.GetSensorAsync("s", CancellationToken.None);
        Assert.Equal(("Greenhouse", "°C", (int?)1, "North wall\nin the shade"), (stored!.Name, stored.Unit, stored.Decimals, stored.Description));
    }

    [Fact]
    public async Task A_bad_description_is_refused_field_by_field_and_nothing_is_stored()
    {
        await Host.IngestAsync(new ReadingInput("s", 1));
        var cut = Render<SensorSettings>(p => p.Add(c => c.Sensor, new SensorInfo("s", null, null, 1, 1, null)));

        cut.Find("[data-testid=describe-unit]").Change(new string('u', 17));
        cut.Find("[data-testid=describe-decimals]").Change("9");
        await cut.Find("[data-testid=describe-save]").ClickAsync(new());

        Assert.Contains("at most 16 characters", cut.Find("[data-testid=error-unit]").TextContent);
        Assert.Contains("from 0 to 6", cut.Find("[data-testid=error-decimals]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=error-name]"));
        Assert.Null((await Host.Store.GetSensorAsync("s", CancellationToken.None))!.Unit);
    }

    [Fact]
    public async Task Renaming_moves_the_sensor_and_opens_its_new_page()
    {
        await Host.IngestAsync(new ReadingInput("tmep", 1), new ReadingInput("tmep", 2));
        var cut = Render<SensorPage>(p => p.Add(c => c.Id, "tmep"));

        cut.Find("[data-testid=rename-to]").Input("temp");
        await cut.Find("[data-testid=rename-submit]").ClickAsync(new());

        Assert.EndsWith("/sensors/temp", Services.GetRequiredService<NavigationManager>().Uri);
        Assert.Null(await Host.Store.GetSensorAsync("tmep", CancellationToken.None));
        Assert.Equal(2, (await Host.Store.GetSensorAsync("temp", CancellationToken.None))!.Count);
    }

    [Fact]
    public async Task Renaming_onto_an_existing_sensor_asks_for_merge_and_without_sign_in_a_typed_id()
    {
        await Host.IngestAsync(new ReadingInput("a", 1), new ReadingInput("b", 2));
        var cut = Render<SensorSettings>(p => p.Add(c => c.Sensor, new SensorInfo("a", null, null, 1, 1, null)));

        cut.Find("[data-testid=rename-to]").Input("b");
        await cut.Find("[data-testid=rename-submit]").ClickAsync(new());
        Assert.Contains("Tick \"merge\"", cut.Find("[data-testid=rename-error]").TextContent);
        Assert.NotNull(await Host.Store.GetSensorAsync("a", CancellationToken.None));

        cut.Find("[data-testid=rename-merge]").Change(true);
        Assert.True(cut.Find("[data-testid=rename-submit]").HasAttribute("disabled"), "a merge waits for the typed id");
        cut.Find("[data-testid=rename-confirm]").Input("a");
        await cut.Find("[data-testid=rename-submit]").ClickAsync(new());

        Assert.Null(await Host.Store.GetSensorAsync("a", CancellationToken.None));
        Assert.Equal(2, (await Host.Store.GetSensorAsync("b", CancellationToken.None))!.Count);
    }

    [Fact]
    public async Task Without_sign_in_deleting_waits_for_the_typed_id_and_the_card_leaves_every_dashboard()
    {
        await Host.IngestAsync(new ReadingInput("doomed", 1), new ReadingInput("kept", 2));
        var home = Render<Home>();
        home.WaitForAssertion(() => Assert.Equal(2, home.FindAll("article.card").Count));
        var cut = Render<SensorSettings>(p => p.Add(c => c.Sensor, new SensorInfo("doomed", null, null, 1, 1, null)));

        cut.Find("[data-testid=delete-confirm]").Input("doome");
        Assert.True(cut.Find("[data-testid=delete-submit]").HasAttribute("disabled"));
        await cut.Find("[data-testid=delete-submit]").ParentElement!.SubmitAsync();
        Assert.NotNull(await Host.Store.GetSensorAsync("doomed", CancellationToken.None));

        cut.Find("[data-testid=delete-confirm]").Input("doomed");
        await cut.Find("[data-testid=delete-submit]").ClickAsync(new());

        Assert.Null(await Host.Store.GetSensorAsync("doomed", CancellationToken.None));
        home.WaitForAssertion(() => Assert.Equal(["kept"], home.FindAll("article.card").Select(c => c.GetAttribute("data-sensor"))));
        Assert.EndsWith("/", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task A_signed_in_admin_deletes_after_a_second_click_and_a_viewer_sees_no_control()
    {
        await Host.IngestAsync(new ReadingInput("s", 1));
        SignInConfigured();
        var user = AddAuthorization();
        user.SetAuthorized("vera");
        user.SetRoles(UserRoles.Viewer);
        var viewer = Render<SensorSettings>(p => p.Add(c => c.Sensor, new SensorInfo("s", null, null, 1, 1, null)));
        Assert.Empty(viewer.FindAll("form, input, button"));
        Assert.Equal("Only an admin can change this sensor.", viewer.Find("[data-testid=settings-read-only]").TextContent);

        user.SetAuthorized("ada");
        user.SetRoles(UserRoles.Admin);
        var admin = Render<SensorSettings>(p => p.Add(c => c.Sensor, new SensorInfo("s", null, null, 1, 1, null)));
        Assert.Empty(admin.FindAll("[data-testid=delete-confirm]"));
        await admin.Find("[data-testid=delete-start]").ClickAsync(new());
        await admin.Find("[data-testid=delete-submit]").ClickAsync(new());

        Assert.Null(await Host.Store.GetSensorAsync("s", CancellationToken.None));
    }

    [Fact]
    public async Task After_a_rename_the_panel_says_when_a_device_still_sends_the_old_id()
    {
        await Host.IngestAsync(new ReadingInput("old", 1));
        await Host.Sensors.RenameAsync("old", "new", merge: false, CancellationToken.None);
        var renamed = (await Host.Store.GetSensorAsync("new", CancellationToken.None))!;
        var cut = Render<SensorSettings>(p => p.Add(c => c.Sensor, renamed));
        Assert.Empty(cut.FindAll("[data-testid=old-id-reporting]"));

        await Host.IngestAsync(new ReadingInput("old", 2));

        cut.WaitForAssertion(() => Assert.Contains("Readings still arrive as 'old'", cut.Find("[data-testid=old-id-reporting]").TextContent));
    }

    [Fact]
    public async Task A_page_open_on_a_sensor_renamed_or_deleted_elsewhere_says_so()
    {
        await Host.IngestAsync(new ReadingInput("a", 1), new ReadingInput("b", 2));
        var pageA = Render<SensorPage>(p => p.Add(c => c.Id, "a"));
        var pageB = Render<SensorPage>(p => p.Add(c => c.Id, "b"));
        pageA.WaitForAssertion(() => Assert.NotNull(pageA.Find("[data-testid=settings]")));

        await Host.Sensors.RenameAsync("a", "c", merge: false, CancellationToken.None);
        await Host.Sensors.DeleteAsync("b", CancellationToken.None);

        pageA.WaitForAssertion(() => Assert.Contains("was renamed to c", pageA.Find("[data-testid=sensor-ended]").TextContent));
        Assert.Equal("sensors/c", pageA.Find("[data-testid=sensor-ended] a").GetAttribute("href"));
        pageB.WaitForAssertion(() => Assert.Contains("was deleted", pageB.Find("[data-testid=sensor-ended]").TextContent));
        Assert.Empty(pageB.FindAll("[data-testid=settings]"));
    }

    [Fact]
    public async Task A_csv_file_uploaded_in_the_panel_is_stored_once_and_the_page_reloads_it()
    {
        await Host.IngestAsync(new ReadingInput("s", 1, Host.Time.GetUtcNow()));
        var page = Render<SensorPage>(p => p.Add(c => c.Id, "s"));
        const string File = "timestamp,value,id\n2026-11-01T10:00:00Z,5.5,1\n2026-11-01T10:01:00Z,6.5,2\r\n1793527320,7.5,3\n";

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(File, "history.csv"));
        await page.Find("[data-testid=import-submit]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("Stored 3 readings.", page.Find("[data-testid=import-result]").TextContent));
        Assert.Equal(4, (await Host.Store.GetSensorAsync("s", CancellationToken.None))!.Count);
        page.WaitForAssertion(() => Assert.NotEmpty(Chart.Invocations["replaceSeries"]));

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(File, "history.csv"));
        await page.Find("[data-testid=import-submit]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("Stored 0 readings; 3 were there already.", page.Find("[data-testid=import-result]").TextContent));
        Assert.Equal(4, (await Host.Store.GetSensorAsync("s", CancellationToken.None))!.Count);
    }

    [Fact]
    public async Task A_bad_csv_file_lists_its_bad_lines_and_stores_nothing()
    {
        await Host.IngestAsync(new ReadingInput("s", 1));
        var cut = Render<SensorSettings>(p => p.Add(c => c.Sensor, new SensorInfo("s", null, null, 1, 1, null)));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("timestamp,value\n2026-11-01T10:00:00Z,1\nyesterday,2\n2026-11-01T10:02:00Z,abc\n", "bad.csv"));
        await cut.Find("[data-testid=import-submit]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.StartsWith("2 lines are not valid; nothing was stored", cut.Find("[data-testid=import-errors] p").TextContent));
        Assert.Equal(["Line 3", "Line 4"], cut.FindAll("[data-testid=import-errors] li").Select(li => li.TextContent.Split(':')[0]));
        Assert.Equal(1, (await Host.Store.GetSensorAsync("s", CancellationToken.None))!.Count);
    }

    [Fact]
    public async Task A_page_moved_to_another_sensor_follows_that_sensor_live_and_no_longer_the_first()
    {
        await Host.IngestAsync(new ReadingInput("a", 1), new ReadingInput("b", 2));
        var cut = Render<SensorPage>(p => p.Add(c => c.Id, "a"));
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=value]").TextContent));

        cut.Render(p => p.Add(c => c.Id, "b"));
        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=value]").TextContent));
        await Host.IngestAsync(new ReadingInput("b", 3));
        Host.Time.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-testid=value]").TextContent));
        await Host.IngestAsync(new ReadingInput("a", 99));
        await Host.IngestAsync(new ReadingInput("b", 4));
        Host.Time.Advance(TimeSpan.FromSeconds(1));

        cut.WaitForAssertion(() => Assert.Equal("4", cut.Find("[data-testid=value]").TextContent));
        Assert.Equal(2, Chart.Invocations["createChart"].Count);
    }

    [Fact]
    public async Task What_is_being_typed_in_the_panel_survives_live_readings()
    {
        await Host.IngestAsync(new ReadingInput("s", 1));
        var cut = Render<SensorPage>(p => p.Add(c => c.Id, "s"));
        cut.Find("[data-testid=describe-name]").Change("Half typed");

        await Host.IngestAsync(new ReadingInput("s", 2));
        Host.Time.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=value]").TextContent));

        Assert.Equal("Half typed", cut.Find("[data-testid=describe-name]").GetAttribute("value"));
    }
}
