using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.E2E;

/// <summary>
/// The servers the accessibility pass visits: one with a sensor's history (so charts, tables and
/// stats have data) and one that asks viewers to sign in.
/// </summary>
public sealed class AccessibilityServers : IAsyncLifetime
{
    public const string Sensor = "lab";

    public const string Password = "open sesame";

    /// <summary>A notification channel whose receiver is not there: its test fails at once, with an answer to show.</summary>
    public const string Channel = "Lab pager";

    private LiveServer? open;
    private LiveServer? guarded;

    public LiveServer Open => open ?? throw new InvalidOperationException("Not started.");

    public LiveServer Guarded => guarded ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        open = LiveServer.Start();
        guarded = LiveServer.Start(settings: new Dictionary<string, string?> { ["Dashboard:Password"] = Password });
        using var client = open.CreateNetworkClient();
        var now = DateTimeOffset.UtcNow;
        var readings = Enumerable.Range(0, 60).Select(i => new { sensor = Sensor, value = 400.0 + (i % 7) * 3.5, timestamp = now.AddMinutes(i - 60) });
        using var response = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, "/api/readings", readings);
        response.EnsureSuccessStatusCode();
        using var channel = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, "/api/notifications/channels",
            new { name = Channel, kind = "webhook", url = "http://127.0.0.1:9/hook", secret = "a long enough secret", sensors = new[] { Sensor }, events = new[] { "threshold", "silent" } });
        channel.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        if (open is not null)
        {
            await open.DisposeAsync();
        }
        if (guarded is not null)
        {
            await guarded.DisposeAsync();
        }
    }
}
