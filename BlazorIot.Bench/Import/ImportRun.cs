using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BlazorIot.Bench.Load;

namespace BlazorIot.Bench.Import;

/// <summary>
/// The import benchmark: streams a generated CSV file of N rows to <c>POST /api/sensors/{id}/import</c>
/// and reports rows stored per second (from the first byte sent to the answer, so parsing, spooling and
/// every durable batch), the server's resident memory before and at its peak (sampled every 50 ms),
/// and CPU shares, as a table and one JSON line.
/// </summary>
internal static class ImportRun
{
    public static async Task<int> RunAsync(Func<string, string?> option)
    {
        var url = new Uri(option("--url") ?? throw new ArgumentException("--url is required (the server under test)."));
        var rows = int.Parse(option("--rows") ?? "1000000", CultureInfo.InvariantCulture);
        var sensor = option("--sensor") ?? "bench-import";
        var probe = new ProcessProbe(ProcessProbe.ParsePids(option("--pids")));
        // Recent enough that the default 30 days' retention keeps every row (a million seconds is 11.6 days).
        var file = new GeneratedImportFile(rows, DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-12).ToUnixTimeSeconds()));
        using var client = new HttpClient { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };

        var rssBefore = probe.Any ? await probe.SettledResidentAsync(CancellationToken.None) : 0;
        var peak = rssBefore;
        using var stopSampling = new CancellationTokenSource();
        async Task SampleAsync()
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            try
            {
                while (await timer.WaitForNextTickAsync(stopSampling.Token))
                {
                    peak = Math.Max(peak, probe.ResidentBytes());
                }
            }
            catch (OperationCanceledException)
            {
                // The import answered.
            }
        }
        var sampling = probe.Any ? Task.Run(SampleAsync) : Task.CompletedTask;
        var serverCpuBefore = probe.Any ? probe.CpuSeconds() : double.NaN;
        var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var machineBefore = ProcessProbe.MachineBusySeconds();
        var clock = Stopwatch.StartNew();

        using var response = await client.PostAsync($"/api/sensors/{sensor}/import", file);
        var body = await response.Content.ReadAsStringAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        await stopSampling.CancelAsync();
        await sampling;
        var serverCpu = probe.Any ? (probe.CpuSeconds() - serverCpuBefore) / seconds : double.NaN;
        var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore).TotalSeconds / seconds;
        var otherCpu = Math.Max(0, ((ProcessProbe.MachineBusySeconds() - machineBefore) / seconds) - (double.IsNaN(serverCpu) ? 0 : serverCpu) - ownCpu);
        if (!response.IsSuccessStatusCode)
        {
            Console.Error.WriteLine($"The import answered {(int)response.StatusCode}: {body}");
            return 1;
        }
        using var summary = JsonDocument.Parse(body);
        var stored = summary.RootElement.GetProperty("stored").GetInt64();
        var generatorBound = ownCpu >= 0.9;

        var mb = 1024.0 * 1024;
        Console.Error.WriteLine(FormattableString.Invariant($"target {option("--target") ?? "ours"}: {rows:N0} rows ({file.Sent / mb:0.0} MB) imported into {sensor}"));
        Console.Error.WriteLine("| measure | value |");
        Console.Error.WriteLine("| --- | ---: |");
        Console.Error.WriteLine(FormattableString.Invariant($"| rows stored / in the file | {stored:N0} / {rows:N0} |"));
        Console.Error.WriteLine(FormattableString.Invariant($"| wall time, first byte to answer | {seconds:0.00} s |"));
        Console.Error.WriteLine(FormattableString.Invariant($"| rows/s | {stored / seconds:N0} |"));
        Console.Error.WriteLine(FormattableString.Invariant($"| server RSS before / peak | {rssBefore / mb:0.0} / {peak / mb:0.0} MB |"));
        Console.Error.WriteLine(FormattableString.Invariant($"| server CPU / bench CPU (cores) | {serverCpu:0.00} / {ownCpu:0.00}{(generatorBound ? " (generator-bound)" : "")} |"));
        Console.Error.WriteLine(FormattableString.Invariant($"| other processes' CPU (cores) | {otherCpu:0.00} |"));
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["scenario"] = option("--scenario") ?? "import",
            ["target"] = option("--target") ?? "ours",
            ["generator"] = "bench",
            ["rows"] = rows,
            ["stored"] = stored,
            ["fileMb"] = Math.Round(file.Sent / mb, 1),
            ["batchRows"] = option("--batch") is { } batch ? int.Parse(batch, CultureInfo.InvariantCulture) : null,
            ["seconds"] = Math.Round(seconds, 2),
            ["rowsPerSecond"] = Math.Round(stored / seconds),
            ["rssBeforeMb"] = Math.Round(rssBefore / mb, 1),
            ["peakRssMb"] = Math.Round(peak / mb, 1),
            ["serverCpu"] = Math.Round(serverCpu, 2),
            ["generatorCpu"] = Math.Round(ownCpu, 2),
            ["generatorBound"] = generatorBound,
            ["otherCpu"] = Math.Round(otherCpu, 2),
        }));
        return stored == rows ? 0 : 1;
    }
}
