using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using BlazorIot.Server.Security;
using BlazorIot.Tests.Infrastructure;
using BlazorIot.Tests.Live;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Security;

public sealed class DeviceKeyTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = HubFactory.Clock();
    private readonly string path = LiveServer.NewDatabasePath();
    private LiveServer server = default!;
    private HttpClient client = default!;

    public Task InitializeAsync()
    {
        server = LiveServer.Start(time, databasePath: path);
        client = server.CreateNetworkClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public async Task Without_keys_ingest_is_open_as_in_the_original_lab()
    {
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/luminosity/5")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("any", null)).StatusCode);
    }

    [Fact]
    public async Task Once_a_key_exists_every_ingest_needs_a_valid_one_in_any_of_the_three_forms()
    {
        var key = await AddKeyAsync("lab-device");
        var scoped = await AddKeyAsync("greenhouse", "--sensors", "greenhouse.temp,greenhouse.hum");
        await KeysTakeEffectAsync();

        // None, wrong, and malformed keys: 401 with problem details; nothing stored.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/luminosity/5")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("luminosity", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("luminosity", key[..^3] + "xyz")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("luminosity", "not-a-key")).StatusCode);
        var refused = await client.GetAsync("/api/sensors/luminosity/ingest?value=1");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Empty(server.Hub.Sensors);

        // The three ways to present a key.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("luminosity", key)).StatusCode);
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/sensors/luminosity/ingest?value=2"))
        {
            request.Headers.Add("X-Api-Key", key);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/luminosity/3?key={key}")).StatusCode);

        // A key limited to some sensors writes those, and no other.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("greenhouse.temp", scoped)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("luminosity", scoped)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/luminosity/4?key={scoped}")).StatusCode);
        Assert.Equal([1.0, 2, 3], server.Hub.GetWindow("luminosity").Select(r => r.Value));
    }

    [Fact]
    public async Task A_revoked_key_is_refused_within_the_refresh_interval_and_listing_never_shows_a_key()
    {
        var key = await AddKeyAsync("old-device");
        await KeysTakeEffectAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("luminosity", key)).StatusCode);

        var (revoked, _, _) = await KeysAsync("revoke", "old-device");
        Assert.Equal(0, revoked);
        time.Advance(TimeSpan.FromSeconds(5));

        await Eventually.TrueAsync(() => PostAsync("luminosity", key).GetAwaiter().GetResult().StatusCode == HttpStatusCode.Unauthorized, "the revoked key is refused");
        var (listed, list, _) = await KeysAsync("list");
        Assert.Equal(0, listed);
        Assert.Contains("old-device", list);
        Assert.Contains("revoked", list);
        Assert.DoesNotContain(key, list);
        Assert.Equal(1, (await KeysAsync("revoke", "old-device")).Code);
        Assert.Equal(1, (await KeysAsync("add", "old-device")).Code);
        Assert.Equal(2, (await KeysAsync("add", "x", "--sensors", "Not Valid")).Code);
    }

    [Fact]
    public async Task An_admin_key_takes_no_sensor_list_and_is_listed_as_admin()
    {
        var (refused, refusedOutput, refusal) = await KeysAsync("add", "ops", "--admin", "--sensors", "luminosity");
        Assert.Equal(2, refused);
        Assert.Equal("", refusedOutput);
        Assert.Contains("--admin or --sensors, not both", refusal);

        var key = await AddKeyAsync("ops", "--admin");
        var device = await AddKeyAsync("lab-device");

        Assert.True(DeviceKeyFormat.TryParse(key, out _, out _));
        var (_, list, _) = await KeysAsync("list");
        var lines = list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("admin", Assert.Single(lines, line => line.StartsWith("ops\t", StringComparison.Ordinal)).Split('\t')[2]);
        Assert.Equal("all sensors", Assert.Single(lines, line => line.StartsWith("lab-device\t", StringComparison.Ordinal)).Split('\t')[2]);
        Assert.DoesNotContain(key, list);
        Assert.NotEqual(key, device);
    }

    [Fact]
    public async Task An_admin_key_alone_leaves_ingest_open_and_may_send_readings_once_it_is_closed()
    {
        var gate = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IngestGate>(server.Services);
        var admin = await AddKeyAsync("ops", "--admin");
        time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => gate.AdminKeyEverCreated, "the server has read the admin key");

        Assert.True(gate.IsOpen);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("luminosity", null)).StatusCode);

        await AddKeyAsync("lab-device");
        await KeysTakeEffectAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("luminosity", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("any.sensor", admin)).StatusCode);
    }

    [Fact]
    public async Task Only_a_salted_hash_of_a_key_is_stored()
    {
        var key = await AddKeyAsync("device");

        var bytes = await File.ReadAllBytesAsync(path);
        var text = System.Text.Encoding.Latin1.GetString(bytes) + await ReadWalAsync();
        Assert.True(DeviceKeyFormat.TryParse(key, out _, out var secret));
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
    }

    // The server re-reads keys every 5 s: another process (the keys command) wrote them.
    private async Task KeysTakeEffectAsync()
    {
        var gate = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IngestGate>(server.Services);
        time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => !gate.IsOpen, "the server has read the new keys");
    }

    private async Task<string> ReadWalAsync() =>
        File.Exists(path + "-wal") ? System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(path + "-wal")) : "";

    private Task<string> AddKeyAsync(string name, params string[] more) => DeviceKeys.AddAsync(path, name, more);

    private Task<(int Code, string Output, string Error)> KeysAsync(params string[] args) => DeviceKeys.RunAsync(path, args);

    private async Task<HttpResponseMessage> PostAsync(string sensor, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/readings") { Content = JsonContent.Create(new { sensor, value = 1 }) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return await client.SendAsync(request);
    }
}
