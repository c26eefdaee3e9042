using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BlazorIot.Server.Notifications;
using BlazorIot.Shared.Notifications;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Notifications;

/// <summary>/api/notifications/channels as a script or the settings page uses it.</summary>
public sealed class NotificationApiTests(LiveServerFixture fixture) : IClassFixture<LiveServerFixture>
{
    private const string Channels = "/api/notifications/channels";

    private readonly HttpClient client = fixture.Server.CreateNetworkClient();

    [Fact]
    public async Task A_channel_is_created_read_changed_and_deleted_and_its_secret_is_never_returned()
    {
        using var created = await client.PostAsync(Channels, Json("""
            {"name":" Ops hook ","kind":"webhook","url":"https://example.com/hooks/blazoriot","secret":"correct-horse-battery","sensors":["kitchen"],"events":["silent","threshold"]}
            """));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain("correct-horse", body, StringComparison.Ordinal);
        var channel = JsonSerializer.Deserialize<ChannelView>(body)!;
        Assert.Equal($"{Channels}/{channel.Id}", created.Headers.Location?.OriginalString);
        Assert.Equal(("Ops hook", ChannelKind.Webhook, "https://example.com/hooks/blazoriot", "…tery"), (channel.Name, channel.Kind, channel.Url, channel.SecretHint));
        Assert.Equal(["kitchen"], channel.Sensors);
        Assert.Equal([NotificationEventKind.Threshold, NotificationEventKind.Silent], channel.Events);

        Assert.Equal(body, await client.GetStringAsync($"{Channels}/{channel.Id}"));
        var listed = await client.GetStringAsync(Channels);
        Assert.Contains(body, listed, StringComparison.Ordinal);
        Assert.DoesNotContain("correct-horse", listed, StringComparison.Ordinal);

        // A null secret keeps it; null events mean every event.
        using var renamed = await client.PutAsync($"{Channels}/{channel.Id}", Json("""{"name":"Ops","kind":"webhook","url":"https://example.com/h2","secret":null}"""));
        var kept = await renamed.Content.ReadFromJsonAsync<ChannelView>();
        Assert.Equal(("Ops", "https://example.com/h2", "…tery", (IReadOnlyList<string>?)null), (kept!.Name, kept.Url, kept.SecretHint, kept.Sensors));
        Assert.Equal(Enum.GetValues<NotificationEventKind>(), kept.Events);
        Assert.Equal("correct-horse-battery", (await Store.GetChannelAsync(channel.Id, CancellationToken.None))!.Secret);
        // An empty one removes it.
        using var cleared = await client.PutAsync($"{Channels}/{channel.Id}", Json("""{"name":"Ops","kind":"webhook","url":"https://example.com/h2","secret":""}"""));
        Assert.Null((await cleared.Content.ReadFromJsonAsync<ChannelView>())!.SecretHint);
        Assert.Null((await Store.GetChannelAsync(channel.Id, CancellationToken.None))!.Secret);

        using var deleted = await client.DeleteAsync($"{Channels}/{channel.Id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Channels}/{channel.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_slack_url_is_shown_cut_short_and_sending_it_back_unchanged_keeps_the_whole_one()
    {
        const string url = "https://hooks.slack.com/services/T000/B000/XXXXsecretpart";
        using var created = await client.PostAsJsonAsync(Channels, new ChannelInput("Slack", ChannelKind.Slack, url, null, null, null, null));
        var channel = (await created.Content.ReadFromJsonAsync<ChannelView>())!;
        Assert.Equal("https://hooks.slack.com/…part", channel.Url);

        using var shownBack = await client.PutAsJsonAsync($"{Channels}/{channel.Id}", new ChannelInput("Slack 2", ChannelKind.Slack, channel.Url, null, null, null, null));
        using var leftOut = await client.PutAsJsonAsync($"{Channels}/{channel.Id}", new ChannelInput("Slack 3", ChannelKind.Slack, null, null, null, null, null));

        Assert.Equal(HttpStatusCode.OK, shownBack.StatusCode);
        Assert.Equal(HttpStatusCode.OK, leftOut.StatusCode);
        Assert.Equal(url, (await Store.GetChannelAsync(channel.Id, CancellationToken.None))!.Url);
        Assert.Equal("https://hooks.slack.com/…part", (await leftOut.Content.ReadFromJsonAsync<ChannelView>())!.Url);
    }

    [Fact]
    public async Task A_token_or_password_does_not_follow_a_changed_address_unless_it_is_entered_again()
    {
        using var created = await client.PostAsJsonAsync(Channels, new ChannelInput("Phone", ChannelKind.Ntfy, "https://ntfy.example.com/lab", "tk_token_for_the_topic", null, null, null));
        var channel = (await created.Content.ReadFromJsonAsync<ChannelView>())!;

        using var moved = await client.PutAsJsonAsync($"{Channels}/{channel.Id}", new ChannelInput("Phone", ChannelKind.Ntfy, "https://elsewhere.example.net/lab", null, null, null, null));
        using var renamed = await client.PutAsJsonAsync($"{Channels}/{channel.Id}", new ChannelInput("Phone 2", ChannelKind.Ntfy, "https://ntfy.example.com/lab", null, null, null, null));
        using var movedWithout = await client.PutAsJsonAsync($"{Channels}/{channel.Id}", new ChannelInput("Phone 2", ChannelKind.Ntfy, "https://elsewhere.example.net/lab", "", null, null, null));

        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        Assert.Contains("secret", (await moved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(error => error.Name));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, movedWithout.StatusCode);
        var stored = (await Store.GetChannelAsync(channel.Id, CancellationToken.None))!;
        Assert.Equal(("https://elsewhere.example.net/lab", null), (stored.Url, stored.Secret));
    }

    [Fact]
    public async Task A_renamed_sensor_stays_in_the_channels_that_chose_it()
    {
        (await client.PostAsJsonAsync("/api/readings", new { sensor = "attic.old", value = 1.0 })).EnsureSuccessStatusCode();
        using var created = await client.PostAsJsonAsync(Channels, new ChannelInput("Attic", ChannelKind.Webhook, "https://example.com/attic", null, ["attic.old", "cellar"], null, null));
        var channel = (await created.Content.ReadFromJsonAsync<ChannelView>())!;

        (await client.PostAsJsonAsync("/api/sensors/attic.old/rename", new { to = "attic.new" })).EnsureSuccessStatusCode();

        await Eventually.TrueAsync(
            async () => (await Store.GetChannelAsync(channel.Id, CancellationToken.None))!.Sensors!.SequenceEqual(["attic.new", "cellar"]),
            "the channel lists the sensor under its new id");
    }

    public static TheoryData<string, string> Invalid() => new()
    {
        { """{"name":"","kind":"webhook","url":"https://example.com"}""", "name" },
        { $$"""{"name":"{{new string('n', 101)}}","kind":"webhook","url":"https://example.com"}""", "name" },
        { """{"name":"x","url":"https://example.com"}""", "kind" },
        { """{"name":"x","kind":"webhook"}""", "url" },
        { """{"name":"x","kind":"ntfy","url":"ftp://example.com/topic"}""", "url" },
        { """{"name":"x","kind":"discord","url":"/relative"}""", "url" },
        { $$"""{"name":"x","kind":"webhook","url":"https://example.com","secret":"{{new string('s', 201)}}"}""", "secret" },
        { """{"name":"x","kind":"webhook","url":"https://example.com","sensors":["Not An Id"]}""", "sensors" },
        { """{"name":"x","kind":"webhook","url":"https://example.com","sensors":["a","a"]}""", "sensors" },
        { """{"name":"x","kind":"webhook","url":"https://example.com","events":["silent","silent"]}""", "events" },
        { """{"name":"x","kind":"email"}""", "email" },
        { """{"name":"x","kind":"email","url":"https://example.com","email":{"host":"smtp.example.com","port":587,"startTls":true,"from":"a@example.com","to":["b@example.com"]}}""", "url" },
        { """{"name":"x","kind":"email","email":{"host":"","port":587,"startTls":true,"from":"a@example.com","to":["b@example.com"]}}""", "email.host" },
        { """{"name":"x","kind":"email","email":{"host":"smtp.example.com","port":70000,"startTls":true,"from":"a@example.com","to":["b@example.com"]}}""", "email.port" },
        { """{"name":"x","kind":"email","email":{"host":"smtp.example.com","port":587,"startTls":true,"from":"nobody","to":["b@example.com"]}}""", "email.from" },
        { """{"name":"x","kind":"email","email":{"host":"smtp.example.com","port":587,"startTls":true,"from":"a@example.com","to":[]}}""", "email.to" },
        { """{"name":"x","kind":"email","email":{"host":"smtp.example.com","port":587,"startTls":true,"from":"a@example.com","to":["b@example.com","not an address"]}}""", "email.to" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Each_bad_field_is_named_in_a_validation_problem_on_create_and_on_replace(string input, string field)
    {
        using var existing = await client.PostAsJsonAsync(Channels, new ChannelInput("ok", ChannelKind.Webhook, "https://example.com/h", null, null, null, null));
        var id = (await existing.Content.ReadFromJsonAsync<ChannelView>())!.Id;

        foreach (var response in new[] { await client.PostAsync(Channels, Json(input)), await client.PutAsync($"{Channels}/{id}", Json(input)) })
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
                Assert.True(errors.TryGetProperty(field, out var messages), $"{field} is named: {errors}");
                Assert.NotEmpty(messages.EnumerateArray().First().GetString()!);
                Assert.Single(errors.EnumerateObject());
            }
        }
        Assert.Equal("ok", (await client.GetFromJsonAsync<ChannelView>($"{Channels}/{id}"))!.Name);
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("PUT", """{"name":"x","kind":"webhook","url":"https://example.com"}""")]
    [InlineData("DELETE", "")]
    [InlineData("POST /test", "")]
    [InlineData("GET /deliveries", "")]
    public async Task An_unknown_channel_is_a_404_problem(string method, string body)
    {
        var parts = method.Split(' ');
        using var request = new HttpRequestMessage(new HttpMethod(parts[0]), $"{Channels}/987654{(parts.Length > 1 ? parts[1] : "")}")
        {
            Content = body.Length > 0 ? Json(body) : null,
        };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("No such notification channel.", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_delivery_log_limit_is_1_to_500()
    {
        using var created = await client.PostAsJsonAsync(Channels, new ChannelInput("ok", ChannelKind.Webhook, "https://example.com/h", null, null, null, null));
        var id = (await created.Content.ReadFromJsonAsync<ChannelView>())!.Id;

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{Channels}/{id}/deliveries?limit=500")).StatusCode);
        using var tooMany = await client.GetAsync($"{Channels}/{id}/deliveries?limit=501");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.True(JsonDocument.Parse(await tooMany.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("limit", out _));
    }

    private NotificationStore Store => fixture.Server.Services.GetRequiredService<NotificationStore>();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
