using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BlazorIot.Bench;

/// <summary>The server under test, started from its build output as its own process so its memory can be read from /proc.</summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string dataDirectory;

    private ServerProcess(Process process, Uri address, string dataDirectory)
    {
        this.process = process;
        this.dataDirectory = dataDirectory;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ServerProcess> StartAsync(string serverDll, bool workstationGc)
    {
        var data = Directory.CreateTempSubdirectory("blazoriot-bench-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (workstationGc)
        {
            start.Environment["DOTNET_gcServer"] = "0";
        }
        // Development: the build output serves its static assets (Chart.js, the Blazor script) only there.
        foreach (var argument in new[] { serverDll, "--environment", "Development", "--urls", "http://127.0.0.1:0", "--Demo:Enabled=false",
            $"--Storage:SqlitePath={Path.Combine(data, "bench.db")}", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text && ListeningOn().Match(text) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, await listening.Task.WaitAsync(TimeSpan.FromSeconds(60)), data);
    }

    /// <summary>Resident memory of the server process, from /proc/PID/status.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException("No VmRSS line.");
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        Directory.Delete(dataDirectory, recursive: true);
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
