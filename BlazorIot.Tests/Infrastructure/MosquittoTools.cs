using System.Diagnostics;
using BlazorIot.Tests.E2E;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>Debian's Mosquitto broker and clients, which the MQTT tests drive as a user would.</summary>
public static class MosquittoTools
{
    public const string Broker = "/usr/sbin/mosquitto";
    public const string Publish = "/usr/bin/mosquitto_pub";
    public const string Subscribe = "/usr/bin/mosquitto_sub";

    /// <summary>Runs a command to its end (killed after 30 s) and returns its exit code and all it printed, standard error last.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Skips the test on a machine without them, and fails it on CI, whose script installs them.</summary>
    public static void SkipUnlessInstalled()
    {
        var missing = new[] { Broker, Publish, Subscribe }.Where(path => !File.Exists(path)).ToList();
        Skip.If(missing.Count > 0 && !BrowserFixture.OnCi,
            $"{string.Join(", ", missing)} missing: apt-get install -y mosquitto mosquitto-clients (bash .ci/run does).");
    }
}
