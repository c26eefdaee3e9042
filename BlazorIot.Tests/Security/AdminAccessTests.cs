using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BlazorIot.Server.Security;
using BlazorIot.Tests.Infrastructure;
using BlazorIot.Tests.Live;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Security;

/// <summary>
/// Who may use the routes that change or export the store (<see cref="AdminAccess.Policy"/>): every
/// kind of caller against every such route on a server with sign-in and both kinds of key, then the
/// open cases of a server without sign-in.
/// </summary>
public sealed class AdminAccessTests(AdminAccessTests.SignedInServer server) : IClassFixture<AdminAccessTests.SignedInServer>
{
    /// <summary>Every admin route with a request it accepts: a new route is one line here.</summary>
    public static readonly IReadOnlyDictionary<string, string?> AdminRoutes = new Dictionary<string, string?>
    {
        ["PUT /api/sensors/x"] = """{"name":"X","unit":"lx"}""",
        ["PUT /api/sensors/x/thresholds"] = """{"low":1,"high":2,"hysteresis":0}""",
        ["PUT /api/sensors/x/silence"] = """{"after":600}""",
        ["GET /api/backup"] = null,
        ["POST /api/sensors/renamed-from/rename"] = """{"to":"renamed-to","merge":true}""",
        ["DELETE /api/sensors/doomed"] = null,
        ["POST /api/sensors/x/import"] = "timestamp,value\n2026-11-28T12:00:00Z,1\n",
    };

    /// <summary>
    /// The servers that answer <see cref="AdminRoutes"/> keep readings for ten years: the import's row, before
    /// the fake clock's start, stays younger than their retention whatever the real date.
    /// </summary>
    private static readonly Dictionary<string, string?> LongRetention = new() { ["Storage:Retention"] = "3650.00:00:00" };

    /// <summary>Routes that need their sensor to exist: the same caller describes it first (which it may do exactly when it may use the route).</summary>
    private static readonly IReadOnlyDictionary<string, string> Seeded = new Dictionary<string, string>
    {
        ["POST /api/sensors/renamed-from/rename"] = "renamed-from",
        ["DELETE /api/sensors/doomed"] = "doomed",
    };

    public enum Caller
    {
        Anonymous,
        ViewerCookie,
        AdminCookie,
        IngestKey,
        AdminKey,
        RevokedAdminKey,
    }

    private static readonly Answer Passes = new(null, null);

    /// <summary>What each caller gets from every admin route of a server where viewers sign in.</summary>
    private static readonly Dictionary<Caller, Answer> WithSignIn = new()
    {
        [Caller.Anonymous] = new(HttpStatusCode.Unauthorized, "Sign in as an admin, or send an admin device key."),
        [Caller.ViewerCookie] = new(HttpStatusCode.Forbidden, "Only an admin may do this."),
        [Caller.AdminCookie] = Passes,
        [Caller.IngestKey] = new(HttpStatusCode.Forbidden, "This key may send readings but not manage sensors."),
        [Caller.AdminKey] = Passes,
        [Caller.RevokedAdminKey] = new(HttpStatusCode.Unauthorized, "The device key is not valid."),
    };

    public static TheoryData<Caller, string> Matrix()
    {
        var data = new TheoryData<Caller, string>();
        foreach (var caller in Enum.GetValues<Caller>())
        {
            foreach (var route in AdminRoutes.Keys)
            {
                data.Add(caller, route);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task With_sign_in_only_admins_and_admin_keys_may_use_an_admin_route(Caller caller, string route)
    {
        using var response = await server.SendAsync(caller, route);

        await AssertAnswerAsync(WithSignIn[caller], response, $"{caller} on {route}");
    }

    [Fact]
    public async Task An_admin_key_is_taken_in_each_of_the_forms_ingest_takes()
    {
        var key = server.Keys[Caller.AdminKey];

        using var header = await SendAsync(server.Anonymous, "PUT /api/sensors/x/thresholds", request => request.Headers.Add("X-Api-Key", key));
        using var query = await SendAsync(server.Anonymous, "GET /api/backup", request => request.RequestUri = new Uri($"/api/backup?key={key}", UriKind.Relative));

        await AssertAnswerAsync(Passes, header, "X-Api-Key");
        await AssertAnswerAsync(Passes, query, "?key=");
    }

    [Fact]
    public async Task Viewers_still_read_and_devices_still_ingest_with_their_keys_an_admin_key_too()
    {
        Assert.Equal(HttpStatusCode.OK, (await server.Viewer.GetAsync("/api/sensors")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Viewer.GetAsync("/api/sensors/x/thresholds")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Anonymous.GetAsync("/api/sensors")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await PostReadingAsync(server.Anonymous, "ingested", server.Keys[Caller.IngestKey])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostReadingAsync(server.Anonymous, "ingested", server.Keys[Caller.AdminKey])).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostReadingAsync(server.Anonymous, "ingested", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostReadingAsync(server.Anonymous, "ingested", server.Keys[Caller.RevokedAdminKey])).StatusCode);
        Assert.Equal(2, server.Server.Hub.GetWindow("ingested").Count);
    }

    [Fact]
    public async Task Without_sign_in_or_an_admin_key_anyone_may_use_the_admin_routes_yet_a_presented_key_is_judged()
    {
        var path = LiveServer.NewDatabasePath();
        try
        {
            // An ingest key closes ingest, not the admin routes.
            var ingestKey = await DeviceKeys.AddAsync(path, "device");
            await using var open = LiveServer.Start(databasePath: path, settings: LongRetention);
            using var client = open.CreateNetworkClient();

            foreach (var route in AdminRoutes.Keys)
            {
                using var anonymous = await SendAsync(client, route);
                await AssertAnswerAsync(Passes, anonymous, $"anonymous on {route}");
            }
            using var ingest = await SendAsync(client, "PUT /api/sensors/x", Bearer(ingestKey));
            await AssertAnswerAsync(WithSignIn[Caller.IngestKey], ingest, "an ingest key");
            using var mistyped = await SendAsync(client, "PUT /api/sensors/x", Bearer("not-a-key"));
            await AssertAnswerAsync(new(HttpStatusCode.Unauthorized, "The device key is not valid."), mistyped, "a malformed key");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task Without_sign_in_the_first_admin_key_closes_the_admin_routes_and_leaves_ingest_open()
    {
        var time = HubFactory.Clock();
        var path = LiveServer.NewDatabasePath();
        try
        {
            await using var live = LiveServer.Start(time, databasePath: path, settings: LongRetention);
            using var client = live.CreateNetworkClient();
            var gate = live.Services.GetRequiredService<IngestGate>();
            using (var before = await SendAsync(client, "PUT /api/sensors/x"))
            {
                await AssertAnswerAsync(Passes, before, "anonymous on a fresh install");
            }

            var adminKey = await DeviceKeys.AddAsync(path, "ops", "--admin");
            time.Advance(TimeSpan.FromSeconds(5));
            await Eventually.TrueAsync(() => gate.AdminKeyEverCreated, "the server has read the admin key");

            foreach (var route in AdminRoutes.Keys)
            {
                using var anonymous = await SendAsync(client, route);
                await AssertAnswerAsync(new(HttpStatusCode.Unauthorized, "An admin device key is required."), anonymous, $"anonymous on {route}");
                using var admin = await SendAsync(client, route, Bearer(adminKey));
                await AssertAnswerAsync(Passes, admin, $"the admin key on {route}");
            }
            Assert.True(gate.IsOpen, "an admin key does not close ingest");
            Assert.Equal(HttpStatusCode.OK, (await PostReadingAsync(client, "still-open", null)).StatusCode);

            var ingestKey = await DeviceKeys.AddAsync(path, "device");
            time.Advance(TimeSpan.FromSeconds(5));
            await Eventually.TrueAsync(() => !gate.IsOpen, "the server has read the ingest key");
            using var ingest = await SendAsync(client, "PUT /api/sensors/x/thresholds", Bearer(ingestKey));
            await AssertAnswerAsync(WithSignIn[Caller.IngestKey], ingest, "an ingest key");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task The_shared_password_signs_in_an_admin()
    {
        await using var live = LiveServer.Start(settings: new Dictionary<string, string?> { ["Dashboard:Password"] = "open sesame" });
        using var owner = await SignIn.AsAsync(live.BaseAddress, "", "open sesame");

        using var response = await SendAsync(owner, "PUT /api/sensors/x/thresholds");

        await AssertAnswerAsync(Passes, response, "the password's user");
    }

    [Fact]
    public async Task A_session_opened_before_a_role_change_follows_the_settings_the_server_runs_with()
    {
        var path = LiveServer.NewDatabasePath();
        var cookies = new CookieContainer();
        try
        {
            await using (var before = LiveServer.Start(databasePath: path, settings: Users(("ada", "admin"))))
            {
                using var ada = await SignIn.AsAsync(before.BaseAddress, "ada", "ada's password", cookies);
                await AssertAnswerAsync(Passes, await SendAsync(ada, "PUT /api/sensors/x"), "ada as an admin");
            }

            // The same cookie, on the server restarted with ada made a viewer, then with ada removed.
            await using (var demoted = LiveServer.Start(databasePath: path, settings: Users(("ada", "viewer"))))
            {
                using var ada = SignIn.Client(demoted.BaseAddress, cookies);
                await AssertAnswerAsync(WithSignIn[Caller.ViewerCookie], await SendAsync(ada, "PUT /api/sensors/x"), "ada made a viewer");
                Assert.Equal(HttpStatusCode.OK, (await ada.GetAsync("/api/sensors")).StatusCode);
            }
            await using (var removed = LiveServer.Start(databasePath: path, settings: Users(("vera", "viewer"))))
            {
                using var ada = SignIn.Client(removed.BaseAddress, cookies);
                Assert.Equal(HttpStatusCode.Unauthorized, (await ada.GetAsync("/api/sensors")).StatusCode);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    /// <summary><c>Dashboard:Users</c> with these names and roles; each one's password is "NAME's password".</summary>
    private static Dictionary<string, string?> Users(params (string Name, string Role)[] users)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < users.Length; i++)
        {
            settings[string.Create(CultureInfo.InvariantCulture, $"Dashboard:Users:{i}:Name")] = users[i].Name;
            settings[string.Create(CultureInfo.InvariantCulture, $"Dashboard:Users:{i}:PasswordHash")] = ViewerSignIn.Hash($"{users[i].Name}'s password");
            settings[string.Create(CultureInfo.InvariantCulture, $"Dashboard:Users:{i}:Role")] = users[i].Role;
        }
        return settings;
    }

    private static async Task AssertAnswerAsync(Answer expected, HttpResponseMessage response, string who)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (expected.Status is not { } status)
        {
            Assert.True(response.IsSuccessStatusCode, $"{who}: expected to pass, got {(int)response.StatusCode} {body}");
            return;
        }
        Assert.True(status == response.StatusCode, $"{who}: expected {(int)status}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected.Title, JsonDocument.Parse(body).RootElement.GetProperty("title").GetString());
    }

    private static Action<HttpRequestMessage> Bearer(string key) => request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

    /// <summary>Sends an admin route's request, with its body.</summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string route, Action<HttpRequestMessage>? prepare = null)
    {
        var (method, target) = route.Split(' ') is [var verb, var path] ? (verb, path) : throw new ArgumentException(route, nameof(route));
        if (Seeded.TryGetValue(route, out var sensor))
        {
            using var seed = new HttpRequestMessage(HttpMethod.Put, $"/api/sensors/{sensor}") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            prepare?.Invoke(seed);
            using var seeded = await client.SendAsync(seed);
        }
        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        if (AdminRoutes[route] is { } body)
        {
            request.Content = new StringContent(body, Encoding.UTF8, body.StartsWith('{') ? "application/json" : "text/csv");
        }
        prepare?.Invoke(request);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PostReadingAsync(HttpClient client, string sensor, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/readings") { Content = JsonContent.Create(new { sensor, value = 1 }) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return await client.SendAsync(request);
    }

    /// <param name="Status">null: any 2xx.</param>
    private sealed record Answer(HttpStatusCode? Status, string? Title);

    /// <summary>
    /// A server where viewers sign in (vera, a viewer; ada, an admin), with an ingest key, an admin key
    /// and a revoked admin key, and a client for each kind of caller.
    /// </summary>
    public sealed class SignedInServer : IAsyncLifetime
    {
        private readonly string path = LiveServer.NewDatabasePath();

        public LiveServer Server { get; private set; } = default!;

        public Dictionary<Caller, string> Keys { get; } = [];

        public HttpClient Anonymous { get; private set; } = default!;

        public HttpClient Viewer { get; private set; } = default!;

        public HttpClient Admin { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            Keys[Caller.IngestKey] = await DeviceKeys.AddAsync(path, "device");
            Keys[Caller.AdminKey] = await DeviceKeys.AddAsync(path, "ops", "--admin");
            Keys[Caller.RevokedAdminKey] = await DeviceKeys.AddAsync(path, "former-ops", "--admin");
            Assert.Equal(0, (await DeviceKeys.RunAsync(path, "revoke", "former-ops")).Code);
            // vera's role is left out: a viewer by default.
            var users = Users(("vera", ""), ("ada", "admin"));
            users.Remove("Dashboard:Users:0:Role");
            users["Storage:Retention"] = LongRetention["Storage:Retention"];
            Server = LiveServer.Start(databasePath: path, settings: users);
            Anonymous = Server.CreateNetworkClient();
            Viewer = await SignIn.AsAsync(Server.BaseAddress, "vera", "vera's password");
            Admin = await SignIn.AsAsync(Server.BaseAddress, "ada", "ada's password");
        }

        public Task<HttpResponseMessage> SendAsync(Caller caller, string route)
        {
            var client = caller switch
            {
                Caller.ViewerCookie => Viewer,
                Caller.AdminCookie => Admin,
                _ => Anonymous,
            };
            return AdminAccessTests.SendAsync(client, route, Keys.TryGetValue(caller, out var key) ? Bearer(key) : null);
        }

        public async Task DisposeAsync()
        {
            Anonymous.Dispose();
            Viewer.Dispose();
            Admin.Dispose();
            await Server.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
