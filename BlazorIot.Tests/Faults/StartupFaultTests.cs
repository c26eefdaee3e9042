using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using BlazorIot.Server.Security;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BlazorIot.Tests.Faults;

/// <summary>
/// Start-up faults against the real server as its own process. Each start that cannot succeed ends
/// with exit code 1 and one message naming what is wrong (a setting, a file, a folder, an address)
/// and what to do, with no stack trace at the default log level, and leaves nothing created or changed.
/// </summary>
public sealed class StartupFaultTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    private readonly string directory = Directory.CreateTempSubdirectory("blazoriot-startup-").FullName;

    [Fact]
    public async Task Invalid_settings_are_named_together_with_their_values_and_what_is_allowed_and_nothing_is_created()
    {
        var database = Path.Combine(directory, "data", "blazoriot.db");

        var (code, output) = await RunToExitAsync(new()
        {
            ["Storage:SqlitePath"] = database,
            ["Storage:Provider"] = "oracle",
            ["Storage:Retention"] = "banana",
            ["Live:WindowSize"] = "3",
        });

        Assert.Equal(1, code);
        Assert.Contains("3 settings are not valid", output);
        Assert.Contains("Storage:Provider is \"oracle\"; allowed: sqlite or postgres.", output);
        Assert.Contains("Storage:Retention is \"banana\"; allowed: a time span (d.hh:mm:ss) from 00:01:00 to 36500.00:00:00.", output);
        Assert.Contains("Live:WindowSize is \"3\"; allowed: a whole number from 10 to 100000.", output);
        AssertOneMessageWithoutTrace(output);
        Assert.False(Directory.Exists(Path.GetDirectoryName(database)), "nothing is created before the settings are valid");
    }

    [Fact]
    public async Task A_corrupt_database_stops_the_start_with_its_name_and_what_to_do_and_is_left_byte_for_byte()
    {
        var database = Path.Combine(directory, "blazoriot.db");
        var bytes = RandomBytes();
        await File.WriteAllBytesAsync(database, bytes);

        var (code, output) = await RunToExitAsync(new() { ["Storage:SqlitePath"] = database });

        Assert.Equal(1, code);
        Assert.Contains($"{database} is not a SQLite database, or it is damaged", output);
        Assert.Contains("It has been left exactly as it was. Restore it from a backup", output);
        AssertOneMessageWithoutTrace(output);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(database));
        Assert.Equal(["blazoriot.db"], Directory.GetFileSystemEntries(directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task At_debug_level_the_message_comes_with_the_exception_and_its_stack_trace()
    {
        var database = Path.Combine(directory, "blazoriot.db");
        await File.WriteAllBytesAsync(database, RandomBytes());

        var (code, output) = await RunToExitAsync(new() { ["Storage:SqlitePath"] = database, ["Logging:LogLevel:Default"] = "Debug" });

        Assert.Equal(1, code);
        Assert.Contains($"cannot start: {database} is not a SQLite database", output);
        Assert.Contains("Microsoft.Data.Sqlite.SqliteException (0x80004005): SQLite Error 26", output);
        Assert.Contains("   at ", output);
    }

    // With the demo device on (the Development default), it must not write before the server listens.
    [Theory]
    [InlineData("false")]
    [InlineData("true")]
    public async Task An_address_in_use_is_named_with_the_setting_to_change_and_the_new_database_is_not_left_behind(string demo)
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var database = Path.Combine(directory, "data", "blazoriot.db");
        await using var server = new ServerProcess(port, new Dictionary<string, string> { ["Storage:SqlitePath"] = database, ["Demo:Enabled"] = demo });

        var code = await server.RunToExitAsync(ExitTimeout);

        Assert.Equal(1, code);
        Assert.Contains($"http://127.0.0.1:{port} is already in use by another program (set another address with --urls or Urls).", server.Output);
        AssertOneMessageWithoutTrace(server.Output);
        Assert.False(Directory.Exists(Path.GetDirectoryName(database)), "the folder and database this start created are removed");
    }

    [Fact]
    public async Task An_unreachable_postgres_store_is_named_by_user_host_port_and_database_never_by_its_password()
    {
        var port = ServerProcess.FreePort();

        var (code, output) = await RunToExitAsync(new()
        {
            ["Storage:Provider"] = "postgres",
            ["ConnectionStrings:Postgres"] = $"Host=127.0.0.1;Port={port};Username=lab;Password=pw-not-to-print;Database=readings;Timeout=5",
        });

        Assert.Equal(1, code);
        Assert.Contains($"Cannot use the store postgres://lab@127.0.0.1:{port}/readings: Failed to connect to 127.0.0.1:{port}", output);
        Assert.Contains("ConnectionStrings:Postgres", output);
        Assert.DoesNotContain("pw-not-to-print", output);
        AssertOneMessageWithoutTrace(output);
    }

    [SkippableFact]
    public async Task A_read_only_database_stops_the_start_and_every_reading_acknowledged_before_is_still_there()
    {
        await using var mount = await Tmpfs.MountAsync(Path.Combine(directory, "mount"));
        var database = Path.Combine(mount.Path, "blazoriot.db");
        var settings = new Dictionary<string, string> { ["Storage:SqlitePath"] = database };
        await using (var server = new ServerProcess(ServerProcess.FreePort(), settings))
        {
            await server.StartAsync();
            using var client = new HttpClient { BaseAddress = server.BaseAddress };
            using var stored = await client.PostAsJsonAsync("/api/readings", Enumerable.Range(1, 50).Select(value => new { sensor = "kept", value }));
            stored.EnsureSuccessStatusCode();
        }
        await mount.RemountAsync("ro");

        var (code, output) = await RunToExitAsync(settings);

        Assert.Equal(1, code);
        Assert.Contains($"{database} can be read but not written", output);
        AssertOneMessageWithoutTrace(output);
        await mount.RemountAsync("rw");
        await using var restarted = new ServerProcess(ServerProcess.FreePort(), settings);
        await restarted.StartAsync();
        using var reader = new HttpClient { BaseAddress = restarted.BaseAddress };
        var kept = (await reader.GetFromJsonAsync<Reading[]>("/api/sensors/kept/readings?limit=1000"))!;
        Assert.Equal(Enumerable.Range(1, 50).Select(value => (double)value), kept.Select(reading => reading.Value).Order());
    }

    [SkippableFact]
    public async Task A_folder_that_cannot_be_written_is_named()
    {
        await using var mount = await Tmpfs.MountAsync(Path.Combine(directory, "mount"), "ro");

        var (inFolder, inFolderOutput) = await RunToExitAsync(new() { ["Storage:SqlitePath"] = Path.Combine(mount.Path, "blazoriot.db") });
        var (below, belowOutput) = await RunToExitAsync(new() { ["Storage:SqlitePath"] = Path.Combine(mount.Path, "data", "blazoriot.db") });

        Assert.Equal(1, inFolder);
        Assert.Contains($"the folder {mount.Path} does not let this user create files", inFolderOutput);
        AssertOneMessageWithoutTrace(inFolderOutput);
        Assert.Equal(1, below);
        Assert.Contains($"Cannot create the folder {Path.Combine(mount.Path, "data")} for the database", belowOutput);
        AssertOneMessageWithoutTrace(belowOutput);
    }

    [Fact]
    public async Task The_keys_command_on_a_corrupt_database_says_so_in_one_line_and_exits_with_1()
    {
        var database = Path.Combine(directory, "blazoriot.db");
        var bytes = RandomBytes();
        await File.WriteAllBytesAsync(database, bytes);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await KeysCommand.RunAsync(["keys", "list", $"--Storage:SqlitePath={database}"], output, error);

        Assert.Equal(1, code);
        Assert.Equal("", output.ToString());
        Assert.StartsWith($"BlazorIot.Server cannot start: {database} is not a SQLite database", error.ToString());
        Assert.Single(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(database));
    }

    [Fact]
    public async Task The_keys_command_names_a_bad_setting_and_creates_no_database()
    {
        var database = Path.Combine(directory, "data", "blazoriot.db");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await KeysCommand.RunAsync(["keys", "add", "lab", "--Storage:Provider=oracle", $"--Storage:SqlitePath={database}"], output, error);

        Assert.Equal(1, code);
        Assert.Equal("", output.ToString());
        Assert.Contains("Storage:Provider is \"oracle\"; allowed: sqlite or postgres.", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString());
        Assert.False(Directory.Exists(Path.GetDirectoryName(database)));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private static byte[] RandomBytes()
    {
        var bytes = new byte[64 * 1024];
        new Random(25).NextBytes(bytes);
        return bytes;
    }

    private static async Task<(int Code, string Output)> RunToExitAsync(Dictionary<string, string> settings)
    {
        await using var server = new ServerProcess(ServerProcess.FreePort(), settings);
        var code = await server.RunToExitAsync(ExitTimeout);
        return (code, server.Output);
    }

    private static void AssertOneMessageWithoutTrace(string output)
    {
        Assert.Single(Regex.Matches(output, "cannot start"));
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.DoesNotContain("Hosting failed to start", output);
        Assert.DoesNotContain("BackgroundService failed", output);
    }

    /// <summary>A small tmpfs mounted for one test, so a file system can be made read-only even for root (chmod does not stop root).</summary>
    private sealed class Tmpfs : IAsyncDisposable
    {
        private Tmpfs(string path) => Path = path;

        public string Path { get; }

        public static async Task<Tmpfs> MountAsync(string path, string mode = "rw")
        {
            Directory.CreateDirectory(path);
            var (code, output) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size=4m,{mode}", "tmpfs", path);
            Skip.If(code != 0, $"Mounting a tmpfs is not allowed here (it needs root or CAP_SYS_ADMIN): {output}");
            return new Tmpfs(path);
        }

        public async Task RemountAsync(string mode)
        {
            var (code, output) = await RunAsync("mount", "-o", $"remount,{mode}", Path);
            Assert.True(code == 0, output);
        }

        public async ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            await RunAsync("umount", "-l", Path);
        }

        private static async Task<(int Code, string Output)> RunAsync(string program, params string[] arguments)
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            try
            {
                using var process = Process.Start(start)!;
                var error = process.StandardError.ReadToEndAsync();
                var output = await process.StandardOutput.ReadToEndAsync();
                await process.WaitForExitAsync();
                return (process.ExitCode, (output + await error).Trim());
            }
            catch (System.ComponentModel.Win32Exception exception)
            {
                return (-1, exception.Message);
            }
        }
    }
}
