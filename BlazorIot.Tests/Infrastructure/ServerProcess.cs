using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>
/// The real server as its own OS process (so a test can kill, stop or starve it like the machine
/// would), on 127.0.0.1 and a fixed port across restarts, Production environment, demo off
/// unless the settings say otherwise. Everything it prints is kept for the test to read.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> settings;
    private readonly IReadOnlyDictionary<string, string> environment;
    private readonly StringBuilder output = new();
    private Process? process;

    /// <param name="environment">Environment variables for the process beside the inherited ones (TMPDIR, say).</param>
    public ServerProcess(int port, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string>? environment = null)
    {
        Port = port;
        this.settings = settings;
        this.environment = environment ?? new Dictionary<string, string>();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>The running process's id, for signals.</summary>
    public int ProcessId => process?.Id ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>Standard output and standard error so far, interleaved as they arrived.</summary>
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the server and waits until <c>/health/ready</c> answers 200.</summary>
    public Task StartAsync() => StartAsync("/health/ready");

    /// <summary>Starts the server and waits only until <c>/health/live</c> answers 200: for a server that is not expected to be ready.</summary>
    public Task StartLiveAsync() => StartAsync("/health/live");

    private async Task StartAsync(string probe)
    {
        Launch();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                (await client.GetAsync(new Uri(BaseAddress, probe))).EnsureSuccessStatusCode();
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline && !process!.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Starts the server with settings that must stop it: waits for it to exit and returns its exit code.</summary>
    public async Task<int> RunToExitAsync(TimeSpan timeout)
    {
        Launch();
        using var waiting = new CancellationTokenSource(timeout);
        await process!.WaitForExitAsync(waiting.Token);
        return process.ExitCode;
    }

    private void Launch()
    {
        lock (output)
        {
            output.Clear();
        }
        process?.Dispose();
        var server = Path.Combine(AppContext.BaseDirectory, "BlazorIot.Server.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(server);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.ToString());
        start.ArgumentList.Add("--Demo:Enabled=false");
        if (!settings.ContainsKey("Mqtt:Port"))
        {
            // Tests run side by side: each broker takes a free port unless the test names one.
            start.ArgumentList.Add("--Mqtt:Port=0");
        }
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    /// <summary>SIGKILL: no graceful shutdown, as a crash or an OOM kill would leave it.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
    }
}
