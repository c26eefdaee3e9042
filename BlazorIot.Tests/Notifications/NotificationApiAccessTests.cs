using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BlazorIot.Server.Security;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BlazorIot.Tests.Notifications;

/// <summary>On a server where viewers sign in: only admins (a cookie or an admin key) may use the channels' routes.</summary>
public sealed class NotificationApiAccessTests : IAsyncLifetime
{
    private readonly string path = LiveServer.NewDatabasePath();
    private LiveServer server = default!;
    private string ingestKey = "";
    private string adminKey = "";

    public static TheoryData<string, string?> Routes() => new()
    {
        { "POST /api/notifications/channels", """{"name":"x","kind":"webhook","url":"https://example.com"}""" },
        { "GET /api/notifications/channels", null },
        { "GET /api/notifications/channels/1", null },
        { "PUT /api/notifications/channels/1", """{"name":"x","kind":"webhook","url":"https://example.com"}""" },
        { "POST /api/notifications/channels/1/test", null },
        { "GET /api/notifications/channels/1/deliveries", null },
        { "DELETE /api/notifications/channels/1", null },
    };

    public async Task InitializeAsync()
    {
        ingestKey = await DeviceKeys.AddAsync(path, "device");
        adminKey = await DeviceKeys.AddAsync(path, "ops", "--admin");
        server = LiveServer.Start(databasePath: path, settings: new Dictionary<string, string?>
        {
            ["Dashboard:Users:0:Name"] = "ada",
            ["Dashboard:Users:0:PasswordHash"] = ViewerSignIn.Hash("ada's password"),
            ["Dashboard:Users:0:Role"] = "admin",
        });
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Anonymous_callers_are_refused_an_ingest_key_is_forbidden_an_admin_key_passes(string route, string? body)
    {
        using var client = server.CreateNetworkClient();

        using var anonymous = await SendAsync(client, route, body, null);
        using var ingest = await SendAsync(client, route, body, ingestKey);
        using var admin = await SendAsync(client, route, body, adminKey);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, ingest.StatusCode);
        Assert.True(admin.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{route} with an admin key: {(int)admin.StatusCode}");
    }

    [Fact]
    public async Task A_signed_in_admin_may_list_the_channels()
    {
        using var ada = await SignIn.AsAsync(server.BaseAddress, "ada", "ada's password");

        Assert.Equal(HttpStatusCode.OK, (await ada.GetAsync("/api/notifications/channels")).StatusCode);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string route, string? body, string? key)
    {
        var (method, target) = (route.Split(' ')[0], route.Split(' ')[1]);
        var request = new HttpRequestMessage(new HttpMethod(method), target)
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return client.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }
}
