using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BlazorIot.Bench.Load;

namespace BlazorIot.Bench.Circuits;

/// <summary>
/// Blazor circuits at scale: N dashboards (one live chart each, one sensor reporting once a
/// second) held by headless circuit clients over the real hub; reports server memory per circuit
/// and the time from sending a reading to the chart update reaching each circuit's client.
/// </summary>
internal static partial class CircuitLoad
{
    private const int StartsInFlight = 16;
    private const int WarmupReadings = 5;
    private const int HistoryReadings = 120;

    public static async Task<int> RunAsync(Uri server, int circuits, TimeSpan duration, IReadOnlyList<int> pids, CircuitClientKind clientKind)
    {
        var probe = new ProcessProbe(pids);
        using var http = new HttpClient { BaseAddress = server };
        var valueBase = 200_000_000 + (DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 800) * 100_000;
        var sentAt = new long[(int)duration.TotalSeconds + 600];
        var latency = new LatencyHistogram();
        var worst = new long[sentAt.Length];
        var first = new long[sentAt.Length];
        Array.Fill(first, long.MaxValue);
        long updates = 0;
        // The card must exist before the dashboards open, with a full window of history, as a
        // sensor that has been reporting has: each dashboard reads it and starts its chart with it.
        // (Values below the measured range: never matched.)
        for (var i = HistoryReadings; i > 0; i--)
        {
            (await http.GetAsync($"/luminosity/{valueBase - 100 - i}")).EnsureSuccessStatusCode();
        }

        var clients = new List<ICircuitClient>();
        var failures = 0;
        // A first few circuits warm the server up (JIT, pools, caches); the figure is the growth after them.
        var warm = await OpenAsync(Math.Min(20, circuits));
        var rssBefore = probe.Any ? await probe.SettledResidentAsync(CancellationToken.None) : 0;
        var startClock = Stopwatch.StartNew();
        var opened = await OpenAsync(circuits);
        var startSeconds = startClock.Elapsed.TotalSeconds;
        async Task<int> OpenAsync(int count)
        {
            var before = clients.Count;
            using var inFlight = new SemaphoreSlim(StartsInFlight);
            await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
            {
                await inFlight.WaitAsync();
                var client = CreateClient(clientKind, new Uri(server, "/"));
                client.ChartUpdate = (args, at) =>
                {
                    foreach (Match y in PointValue().Matches(args))
                    {
                        var index = (long)double.Parse(y.Groups[1].Value, CultureInfo.InvariantCulture) - valueBase;
                        if (index >= 0 && index < sentAt.Length && Volatile.Read(ref sentAt[index]) is var sent and > 0)
                        {
                            latency.RecordTicks(at - sent);
                            Extremes.Raise(ref worst[index], at - sent);
                            Extremes.Lower(ref first[index], at - sent);
                            Interlocked.Increment(ref updates);
                        }
                    }
                };
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    await client.StartAsync(http, timeout.Token);
                    lock (clients)
                    {
                        clients.Add(client);
                    }
                }
                catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException or OperationCanceledException or IOException or JsonException)
                {
                    Interlocked.Increment(ref failures);
                    Console.Error.WriteLine("circuit failed: " + exception.Message);
                    await client.DisposeAsync();
                }
                finally
                {
                    inFlight.Release();
                }
            }));
            return clients.Count - before;
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        var rssOpen = probe.Any ? await probe.SettledResidentAsync(CancellationToken.None) : 0;

        // As in the SSE load: a few unmeasured readings first, so the first update is not the JIT's
        // (their values lie below the measured range, so they are never matched).
        for (var i = 0; i < WarmupReadings; i++)
        {
            (await http.GetAsync($"/luminosity/{valueBase - 2 - i}")).EnsureSuccessStatusCode();
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var cpuBefore = probe.Any ? probe.CpuSeconds() : 0;
        var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var feedClock = Stopwatch.StartNew();
        var sent = 0;
        for (var i = 0; feedClock.Elapsed < duration; i++, sent++)
        {
            Volatile.Write(ref sentAt[i], Stopwatch.GetTimestamp());
            (await http.GetAsync($"/luminosity/{valueBase + i}")).EnsureSuccessStatusCode();
            var next = TimeSpan.FromSeconds(i + 1) - feedClock.Elapsed;
            if (next > TimeSpan.Zero)
            {
                await Task.Delay(next);
            }
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        var cpu = probe.Any ? (probe.CpuSeconds() - cpuBefore) / feedClock.Elapsed.TotalSeconds : double.NaN;
        var rssRunning = probe.Any ? probe.ResidentBytes() : 0;
        var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore).TotalSeconds / feedClock.Elapsed.TotalSeconds;
        var perCircuit = (rssOpen - rssBefore) / (double)Math.Max(1, opened);
        var readings = sent;

        Console.WriteLine(FormattableString.Invariant($"circuits: {opened} opened after {warm} warm-up ones ({failures} failed) in {startSeconds:0.0} s by the {clientKind} client, one live chart each ({HistoryReadings} points of history), 1 reading/s, {readings} readings after {WarmupReadings} unmeasured"));
        Console.WriteLine("| measure | value |");
        Console.WriteLine("| --- | ---: |");
        Console.WriteLine(FormattableString.Invariant($"| server RSS before / circuits open / after the run | {rssBefore / 1048576.0:0.0} / {rssOpen / 1048576.0:0.0} / {rssRunning / 1048576.0:0.0} MB |"));
        Console.WriteLine(FormattableString.Invariant($"| server memory per circuit | {perCircuit / 1024:0} kB |"));
        Console.WriteLine(FormattableString.Invariant($"| chart updates received / expected | {updates} / {clients.Count * readings} |"));
        Console.WriteLine(FormattableString.Invariant($"| update latency p50 / p99 / max | {latency.Percentile(50):0.0} / {latency.Percentile(99):0.0} / {latency.MaxMilliseconds:0.0} ms |"));
        Console.WriteLine(FormattableString.Invariant($"| server CPU / bench CPU (cores) | {cpu:0.00} / {ownCpu:0.00} |"));
        Console.Error.WriteLine("first circuit per reading, ms: " + string.Join(' ', first.Take(readings).Select(t => (t * 1000.0 / Stopwatch.Frequency).ToString("0", CultureInfo.InvariantCulture))));
        Console.Error.WriteLine("slowest circuit per reading, ms: " + string.Join(' ', worst.Take(readings).Select(t => (t * 1000.0 / Stopwatch.Frequency).ToString("0", CultureInfo.InvariantCulture))));
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["scenario"] = "circuits",
            ["target"] = "ours",
            ["client"] = clientKind.ToString(),
            ["circuits"] = clients.Count,
            ["measuredCircuits"] = opened,
            ["failed"] = failures,
            ["startSeconds"] = Math.Round(startSeconds, 1),
            ["bytesPerCircuit"] = Math.Round(perCircuit),
            ["updates"] = updates,
            ["expectedUpdates"] = clients.Count * readings,
            ["updateP50Ms"] = Math.Round(latency.Percentile(50), 2),
            ["updateP99Ms"] = Math.Round(latency.Percentile(99), 2),
            ["updateMaxMs"] = Math.Round(latency.MaxMilliseconds, 2),
            ["serverCpu"] = double.IsNaN(cpu) ? null : Math.Round(cpu, 2),
            ["benchCpu"] = Math.Round(ownCpu, 2),
        }));
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
        return failures == 0 ? 0 : 1;
    }

    private static ICircuitClient CreateClient(CircuitClientKind kind, Uri page) => kind switch
    {
        CircuitClientKind.SignalR => BlazorCircuitClient.Create(page),
        _ => new WebSocketCircuitClient(page),
    };

    [GeneratedRegex(@"""y"":(-?[0-9.eE+]+)")]
    private static partial Regex PointValue();
}
