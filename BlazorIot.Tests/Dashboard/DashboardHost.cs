using BlazorIot.Server.Alerts;
using BlazorIot.Server.Dashboard;
using BlazorIot.Server.Hosting;
using BlazorIot.Server.Import;
using BlazorIot.Server.Ingest;
using BlazorIot.Server.Live;
using BlazorIot.Server.Notifications;
using BlazorIot.Server.Notifications.Events;
using BlazorIot.Server.Security;
using BlazorIot.Server.Sensors;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Dashboard;

/// <summary>
/// The server's live and storage features (hub, SQLite store, group commit, alerts, device keys and
/// who may change sensors) running in a plain host on a temporary database with a fake clock, for bUnit
/// tests of dashboard components. No sign-in is configured.
/// </summary>
internal sealed class DashboardHost : IAsyncDisposable
{
    private readonly IHost host;
    private readonly string? directory;

    private DashboardHost(IHost host, string? directory, FakeTimeProvider time)
    {
        this.host = host;
        this.directory = directory;
        Time = time;
    }

    public FakeTimeProvider Time { get; }

    public SensorHub Hub => host.Services.GetRequiredService<SensorHub>();

    public AlertMonitor Alerts => host.Services.GetRequiredService<AlertMonitor>();

    public IngestGate Gate => host.Services.GetRequiredService<IngestGate>();

    public AdminAccess Access => host.Services.GetRequiredService<AdminAccess>();

    public ReadingStore Store => host.Services.GetRequiredService<ReadingStore>();

    public SensorAdministration Sensors => host.Services.GetRequiredService<SensorAdministration>();

    public SilenceWatch Silence => host.Services.GetRequiredService<SilenceWatch>();

    /// <param name="databasePath">A SQLite file to use and keep (a restart test); a fresh temporary one when null.</param>
    /// <param name="time">The clock to use; a fresh fake one when null.</param>
    /// <param name="services">More services (a notification sink of the test's own).</param>
    public static async Task<DashboardHost> StartAsync(string? databasePath = null, FakeTimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        var directory = databasePath is null ? Directory.CreateTempSubdirectory("blazoriot-dashboard-").FullName : null;
        if (time is null)
        {
            time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 17, 2, 1, TimeSpan.Zero));
            time.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
        }
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:SqlitePath"] = databasePath ?? Path.Combine(directory!, "test.db") });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddLive();
        builder.Services.AddStorage(builder.Configuration);
        builder.Services.AddAlerts();
        builder.Services.AddIngest();
        builder.Services.AddDeviceKeys();
        builder.Services.AddValidatedSettings<ViewerOptions>(ViewerOptions.Section);
        builder.Services.AddSingleton<AdminAccess>();
        builder.Services.AddSensors();
        builder.Services.AddImport();
        builder.Services.AddNotifications();
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new DashboardHost(host, directory, time);
    }

    /// <summary>Gives a bUnit context the same services the server gives a circuit.</summary>
    public void Serve(BunitContext context)
    {
        context.Services.AddSingleton<TimeProvider>(Time);
        context.Services.AddSingleton(host.Services.GetRequiredService<IOptions<LiveOptions>>());
        context.Services.AddSingleton(Hub);
        context.Services.AddSingleton(host.Services.GetRequiredService<ReadingStore>());
        context.Services.AddSingleton(host.Services.GetRequiredService<AlertStore>());
        context.Services.AddSingleton(Alerts);
        context.Services.AddSingleton(Access);
        context.Services.AddSingleton(host.Services.GetRequiredService<SensorAdministration>());
        context.Services.AddSingleton(host.Services.GetRequiredService<SilenceWatch>());
        context.Services.AddSingleton(host.Services.GetRequiredService<CsvImport>());
        context.Services.AddSingleton(host.Services.GetRequiredService<NotificationChannels>());
        context.Services.AddScoped<LiveFeed>();
        context.Services.AddSingleton<DashboardClock>();
        context.Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
    }

    /// <summary>Creates an admin key, as <c>keys add NAME --admin</c> does, and returns once the gate has read it.</summary>
    public async Task AddAdminKeyAsync(string name)
    {
        await host.Services.GetRequiredService<DeviceKeyStore>().AddAsync(name, null, admin: true, Time.GetUtcNow(), CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => Gate.AdminKeyEverCreated, "the gate has read the admin key");
    }

    /// <summary>Stores and publishes readings, as a device's request would; returns once they are committed.</summary>
    public Task<IngestResult> IngestAsync(params ReadingInput[] readings) =>
        host.Services.GetRequiredService<ReadingIngest>().AcceptAsync(readings, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        SqliteConnection.ClearAllPools();
        if (directory is not null)
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
