using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>
/// Debian's Mosquitto as its own process on a free 127.0.0.1 port: a password file made with
/// <c>mosquitto_passwd</c>, anonymous clients refused, persistence in a temporary folder (so a
/// graceful restart keeps sessions and queued messages, as a production broker does).
/// </summary>
public sealed class MosquittoServer : IAsyncDisposable
{
    public const string User = "blazoriot";

    /// <summary>Characters that must be URL-encoded in the connection string, so the decoding is exercised.</summary>
    public const string Password = "p@ss:w/rd%1";

    private readonly string folder = Directory.CreateTempSubdirectory("blazoriot-mosquitto-").FullName;
    private readonly StringBuilder output = new();
    private Process? process;

    private MosquittoServer()
    {
    }

    public int Port { get; } = ServerProcess.FreePort();

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary><c>ConnectionStrings:Mqtt</c> for this broker, with the given password.</summary>
    public string ConnectionString(string password = Password) =>
        $"mqtt://{Uri.EscapeDataString(User)}:{Uri.EscapeDataString(password)}@127.0.0.1:{Port}";

    public static async Task<MosquittoServer> StartAsync()
    {
        MosquittoTools.SkipUnlessInstalled();
        var broker = new MosquittoServer();
        try
        {
            await RunToEndAsync("mosquitto_passwd", "-b", "-c", Path.Combine(broker.folder, "passwd"), User, Password);
            await File.WriteAllTextAsync(Path.Combine(broker.folder, "mosquitto.conf"), $"""
                # As root, Mosquitto would switch to the mosquitto user, who cannot read this folder.
                user root
                listener {broker.Port} 127.0.0.1
                allow_anonymous false
                password_file {Path.Combine(broker.folder, "passwd")}
                persistence true
                persistence_location {broker.folder}/
                # Tests send up to 1,200 messages while the server is down; Mosquitto's default queue
                # for an offline session (1,000) would drop the rest.
                max_queued_messages 10000
                log_dest stdout
                log_type all
                """);
            await broker.LaunchAsync();
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the broker gracefully (it writes its sessions to disk), then starts it again on the same port.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await LaunchAsync();
    }

    /// <summary>SIGTERM: Mosquitto saves its persistent sessions and exits.</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            await RunToEndAsync("kill", "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
        }
    }

    private async Task LaunchAsync()
    {
        process?.Dispose();
        var start = new ProcessStartInfo("/usr/sbin/mosquitto") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Path.Combine(folder, "mosquitto.conf"));
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port, deadline.Token);
                return;
            }
            catch (SocketException) when (!deadline.IsCancellationRequested && !process.HasExited)
            {
                await Task.Delay(20, deadline.Token);
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static async Task RunToEndAsync(string command, params string[] arguments)
    {
        var (code, output) = await MosquittoTools.RunAsync(command, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"{command} exited with {code}: {output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        process?.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
