using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BlazorIot.Server.Sensors;
using BlazorIot.Server.Storage;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Notifications.Events;

/// <summary>
/// A sensor's own silence limit through the API and the store, on each provider: SQLite
/// (<see cref="SqliteSilenceApiTests"/>) and PostgreSQL (<see cref="PostgresSilenceApiTests"/>).
/// </summary>
public abstract class SilenceApiContract : StoreProviderTests
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [SkippableFact]
    public async Task The_limit_is_set_read_and_set_back_to_automatic_with_the_usual_interval_and_the_silence_shown()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var server = await StartAsync(time);
        using var client = server.CreateNetworkClient();
        var start = time.GetUtcNow();
        var readings = Enumerable.Range(0, 4).Select(i => new { sensor = "door", value = i, timestamp = start.AddSeconds(-60 + 10 * i).ToString("O") });
        (await client.PostAsJsonAsync("/api/readings", readings)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => server.Hub.GetWindow("door").Count == 4, "the readings are published");

        // The last reading is 30 s old: exactly three usual intervals, not more.
        Assert.Equal(new SensorSilence(null, 10, false), await client.GetFromJsonAsync<SensorSilence>("/api/sensors/door/silence"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new SensorSilence(null, 10, true), await client.GetFromJsonAsync<SensorSilence>("/api/sensors/door/silence"));

        using (var set = await client.PutAsync("/api/sensors/door/silence", Json("""{"after": 600}""")))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            Assert.Equal(new SensorSilence(600, 10, false), await set.Content.ReadFromJsonAsync<SensorSilence>());
        }
        using (var raw = await client.GetAsync("/api/sensors/door/silence"))
        {
            Assert.Equal("""{"after":600,"usualInterval":10,"silent":false}""", await raw.Content.ReadAsStringAsync());
        }
        var store = server.Services.GetRequiredService<ReadingStore>();
        Assert.Equal(TimeSpan.FromMinutes(10), await store.GetSilenceLimitAsync("door", CancellationToken.None));

        using (var automatic = await client.PutAsync("/api/sensors/door/silence", Json("""{"after": null}""")))
        {
            Assert.Equal(new SensorSilence(null, 10, true), await automatic.Content.ReadFromJsonAsync<SensorSilence>());
        }
        Assert.Null(await store.GetSilenceLimitAsync("door", CancellationToken.None));
        Assert.Equal(new SensorSilence(null, null, false), await client.GetFromJsonAsync<SensorSilence>("/api/sensors/never-seen/silence"));
    }

    [SkippableTheory]
    [InlineData("""{"after": 9.9}""", "between 10 seconds and 30 days")]
    [InlineData("""{"after": 2592001}""", "between 10 seconds and 30 days")]
    [InlineData("""{"after": -60}""", "between 10 seconds and 30 days")]
    [InlineData("""{"after": 1e300}""", "between 10 seconds and 30 days")]
    [InlineData("""{"after": "10m"}""", "a number of seconds")]
    [InlineData("""{"silentAfter": 60}""", "Send {\"after\": seconds}")]
    [InlineData("""[600]""", "Send {\"after\": seconds}")]
    public async Task A_bad_limit_is_refused_with_a_problem_naming_the_field_and_nothing_is_stored(string body, string expected)
    {
        await using var server = await StartAsync();
        using var client = server.CreateNetworkClient();
        (await client.PutAsync("/api/sensors/s/silence", Json("""{"after": 60}"""))).EnsureSuccessStatusCode();

        using var response = await client.PutAsync("/api/sensors/s/silence", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(expected, problem.RootElement.GetProperty("errors").GetProperty("after")[0].GetString());
        Assert.Equal(60, (await client.GetFromJsonAsync<SensorSilence>("/api/sensors/s/silence"))!.After);
    }

    [SkippableFact]
    public async Task A_body_that_is_not_json_or_not_sent_as_json_is_refused()
    {
        await using var server = await StartAsync();
        using var client = server.CreateNetworkClient();

        using var broken = await client.PutAsync("/api/sensors/s/silence", Json("{after:"));
        using var text = await client.PutAsync("/api/sensors/s/silence", new StringContent("""{"after":60}""", Encoding.UTF8, "text/plain"));
        using var badId = await client.PutAsync("/api/sensors/bad%20id/silence", Json("""{"after":60}"""));

        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal("application/problem+json", broken.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Null(await server.Services.GetRequiredService<ReadingStore>().GetSilenceLimitAsync("s", CancellationToken.None));
    }

    [SkippableFact]
    public async Task The_limit_moves_with_a_rename_a_merge_keeps_the_targets_and_a_deletion_drops_it()
    {
        await using var server = await StartAsync();
        var store = server.Services.GetRequiredService<ReadingStore>();
        var sensors = server.Services.GetRequiredService<SensorAdministration>();
        using var client = server.CreateNetworkClient();
        foreach (var (sensor, seconds) in new[] { ("a", 60), ("b", 120), ("c", 180) })
        {
            (await client.PutAsync($"/api/sensors/{sensor}/silence", Json($$"""{"after": {{seconds}}}"""))).EnsureSuccessStatusCode();
        }
        await client.PutAsJsonAsync("/api/sensors/plain", new { name = "Plain" });

        await sensors.RenameAsync("a", "a2", merge: false, CancellationToken.None);
        await sensors.RenameAsync("b", "c", merge: true, CancellationToken.None);
        await sensors.RenameAsync("a2", "plain", merge: true, CancellationToken.None);

        Assert.Equal(
            new Dictionary<string, TimeSpan> { ["c"] = TimeSpan.FromMinutes(3), ["plain"] = TimeSpan.FromMinutes(1) },
            await store.LoadSilenceLimitsAsync(CancellationToken.None));
        Assert.Equal(60, (await client.GetFromJsonAsync<SensorSilence>("/api/sensors/plain/silence"))!.After);

        Assert.True(await sensors.DeleteAsync("c", CancellationToken.None));
        Assert.Null(await store.GetSilenceLimitAsync("c", CancellationToken.None));
        Assert.Null((await client.GetFromJsonAsync<SensorSilence>("/api/sensors/c/silence"))!.After);
    }
}

public sealed class SqliteSilenceApiTests : SilenceApiContract
{
    protected override Task<LiveServer> StartAsync(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        Task.FromResult(LiveServer.Start(time, settings));
}

public sealed class PostgresSilenceApiTests : SilenceApiContract
{
    private readonly PostgresServers servers = new();

    protected override Task<LiveServer> StartAsync(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        servers.StartAsync(time, settings);

    public override async Task DisposeAsync() => await servers.DisposeAsync();
}
