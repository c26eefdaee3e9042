using System.Globalization;
using BlazorIot.Server.Hosting;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Security;

/// <summary>
/// <c>BlazorIot.Server keys add NAME [--sensors a,b | --admin] | list | revoke NAME</c>: manages device
/// keys in the store the server uses (same configuration), without starting the web server.
/// </summary>
public static class KeysCommand
{
    public const string Usage = "usage: keys add NAME [--sensors a,b | --admin] | keys list | keys revoke NAME";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var (command, rest) = args.Length > 1 ? (args[1], args[2..]) : ("", []);
        var settings = rest.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)).ToArray();
        HostApplicationBuilder? builder = null;
        try
        {
            builder = Host.CreateApplicationBuilder(settings);
            builder.Logging.ClearProviders();
            builder.Services.AddStorage(builder.Configuration);
            builder.Services.AddDeviceKeyStore();
            SettingsCheck.ThrowIfLogLevelsInvalid(builder.Configuration);
            using var host = builder.Build();
            SettingsCheck.ThrowIfInvalid(host.Services);
            await StorageInitializer.MigrateAsync(host.Services.GetRequiredService<ReadingStore>(), CancellationToken.None);
            return await RunAsync(command, rest, host.Services.GetRequiredService<DeviceKeyStore>(), output, error);
        }
        catch (Exception exception)
        {
            return StartupFailureReport.Write(exception, builder?.Configuration, error);
        }
    }

    private static async Task<int> RunAsync(string command, string[] rest, DeviceKeyStore keys, TextWriter output, TextWriter error)
    {
        var now = DateTimeOffset.UtcNow;
        var positional = rest.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();

        switch (command)
        {
            case "add" when positional.Length >= 1:
                var name = positional[0];
                if (name.Length is < 1 or > 64 || name.Any(char.IsControl))
                {
                    error.WriteLine("A key name has 1 to 64 characters.");
                    return 2;
                }
                IReadOnlySet<string>? sensors = null;
                var sensorsAt = Array.IndexOf(rest, "--sensors");
                if (sensorsAt >= 0)
                {
                    if (sensorsAt + 1 >= rest.Length)
                    {
                        error.WriteLine("--sensors needs a comma-separated list of sensor ids.");
                        return 2;
                    }
                    sensors = rest[sensorsAt + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                    if (sensors.FirstOrDefault(s => !SensorId.IsValid(s)) is { } bad)
                    {
                        error.WriteLine($"'{bad}' is not a sensor id ({SensorId.Pattern}).");
                        return 2;
                    }
                    positional = [.. positional.Where(p => p != rest[sensorsAt + 1])];
                }
                var admin = rest.Contains("--admin", StringComparer.Ordinal);
                if (admin && sensors is not null)
                {
                    error.WriteLine("An admin key manages every sensor: give --admin or --sensors, not both.");
                    return 2;
                }
                try
                {
                    var (key, plaintext) = await keys.AddAsync(name, sensors, admin, now, CancellationToken.None);
                    output.WriteLine(plaintext);
                    error.WriteLine(admin
                        ? $"Admin key '{key.Name}' created: it may change sensors, back up the store and send readings. It is shown this once: only a hash is stored."
                        : $"Key '{key.Name}' created{(sensors is null ? "" : $" for {string.Join(", ", sensors)}")}. It is shown this once: only a hash is stored.");
                    return 0;
                }
                catch (InvalidOperationException exception)
                {
                    error.WriteLine(exception.Message);
                    return 1;
                }
            case "list":
                foreach (var key in await keys.ListAsync(CancellationToken.None))
                {
                    output.WriteLine(string.Join('\t',
                        key.Name, $"bik_{key.Id}_…", key.Admin ? "admin" : key.Sensors is null ? "all sensors" : string.Join(',', key.Sensors),
                        key.Created.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                        key.Revoked is { } revoked ? $"revoked {revoked:yyyy-MM-dd HH:mm}" : "active"));
                }
                return 0;
            case "revoke" when positional.Length >= 1:
                if (await keys.RevokeAsync(positional[0], now, CancellationToken.None))
                {
                    error.WriteLine($"Key '{positional[0]}' revoked; a running server stops accepting it within 5 seconds.");
                    return 0;
                }
                error.WriteLine($"No active key named '{positional[0]}'.");
                return 1;
            default:
                error.WriteLine(Usage);
                return 2;
        }
    }
}
