using System.Net;
using BlazorIot.Server.Live;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>
/// The real server on real Kestrel, bound to 127.0.0.1 on a free port, demo device off, with its
/// own SQLite file in a temporary folder (removed afterwards unless the caller passed the path).
/// </summary>
public sealed class LiveServer : WebApplicationFactory<Program>
{
    private readonly TimeProvider? time;
    private readonly IReadOnlyDictionary<string, string?> settings;
    private readonly string? ownedDirectory;

    private LiveServer(TimeProvider? time, IReadOnlyDictionary<string, string?>? settings, string? databasePath, int port)
    {
        this.time = time;
        this.settings = settings ?? new Dictionary<string, string?>();
        if (databasePath is null)
        {
            ownedDirectory = Directory.CreateTempSubdirectory("blazoriot-test-").FullName;
            databasePath = Path.Combine(ownedDirectory, "test.db");
        }
        DatabasePath = databasePath;
        UseKestrel(options => options.Listen(IPAddress.Loopback, port));
    }

    /// <param name="time">Replaces the server's clock (labels, heartbeats, receive times); the real clock when null.</param>
    /// <param name="databasePath">A SQLite file to use (and keep); a fresh temporary one when null.</param>
    /// <param name="port">The loopback port; a free one when 0.</param>
    public static LiveServer Start(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null, string? databasePath = null, int port = 0)
    {
        var server = new LiveServer(time, settings, databasePath, port);
        server.StartServer();
        return server;
    }

    public string DatabasePath { get; }

    /// <summary>A temporary folder for a database that outlives one server (a restart test); the caller deletes it.</summary>
    public static string NewDatabasePath() => Path.Combine(Directory.CreateTempSubdirectory("blazoriot-test-").FullName, "test.db");

    public Uri BaseAddress => ClientOptions.BaseAddress;

    public SensorHub Hub => Services.GetRequiredService<SensorHub>();

    /// <summary>A client that goes over the loopback network, not the in-memory test transport.</summary>
    public HttpClient CreateNetworkClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Storage:SqlitePath", DatabasePath);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        if (time is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(time));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownedDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(ownedDirectory, recursive: true);
        }
    }
}
