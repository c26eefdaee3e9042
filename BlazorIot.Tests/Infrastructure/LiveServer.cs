using BlazorIot.Server.Live;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
        this.port = port;
        UseKestrel();
    }

    private readonly int port;

    /// <param name="time">Replaces the server's clock (labels, heartbeats, receive times); the real clock when null.</param>
    /// <param name="databasePath">A SQLite file to use (and keep); a fresh temporary one when null.</param>
    /// <param name="port">The loopback port; a free one when 0.</param>
    public static LiveServer Start(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null, string? databasePath = null, int port = 0)
    {
        var server = new LiveServer(time, settings, databasePath, port);
        server.StartServer();
        // Kestrel lists the broker's endpoint with the HTTP one; the client talks HTTP.
        var addresses = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var mqttPort = server.MqttPort;
        server.ClientOptions.BaseAddress = addresses.Select(address => new Uri(address)).First(address => address.Port != mqttPort);
        return server;
    }

    public string DatabasePath { get; }

    /// <summary>A temporary folder for a database that outlives one server (a restart test); the caller deletes it.</summary>
    public static string NewDatabasePath() => Path.Combine(Directory.CreateTempSubdirectory("blazoriot-test-").FullName, "test.db");

    public Uri BaseAddress => ClientOptions.BaseAddress;

    public SensorHub Hub => Services.GetRequiredService<SensorHub>();

    /// <summary>The embedded MQTT broker's TCP port on 127.0.0.1.</summary>
    public int MqttPort => Services.GetService<BlazorIot.Server.Mqtt.MqttListener>()?.Port ?? 0;

    /// <summary>A client that goes over the loopback network, not the in-memory test transport.</summary>
    public HttpClient CreateNetworkClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Storage:SqlitePath", DatabasePath);
        // Addresses as settings, not Kestrel endpoints in code: the server binds its HTTP addresses itself
        // when its embedded MQTT broker adds one. The broker takes a free port of its own.
        builder.UseSetting("urls", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        builder.UseSetting("Mqtt:Port", "0");
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
