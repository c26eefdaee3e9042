using System.Diagnostics;
using System.Net;
using System.Text;

namespace BlazorIot.Bench.Load;

/// <summary>
/// The fan-out benchmark: connects N SSE subscribers, reads the server's memory per idle
/// subscriber, sends readings for a fixed time (at a rate or as fast as possible), then reports
/// ingest throughput and latency, end-to-end latency of every reading each subscriber learned
/// of, what was delivered, coalesced or missed, and CPU shares, as a table and one JSON line.
/// </summary>
internal static class SseLoad
{
    private const int ConnectsInFlight = 512;

    public static async Task<int> RunAsync(LoadOptions options)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(options.Server.Host), options.Server.Port);
        var probe = new ProcessProbe(options.ServerPids);
        var valueBase = 100_000_000 + (DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 800) * 1_000_000;
        var run = new LoadRun(options.MaxReadings, valueBase);
        using var stop = new CancellationTokenSource();

        if (options.Warmup > TimeSpan.Zero)
        {
            // The same load first, unmeasured, so the server's JIT has tiered up and its pools have grown.
            await IngestAsync(new LoadRun(options.MaxReadings, valueBase - 50_000_000), endpoint, options, options.Warmup);
        }
        var rssBefore = probe.Any ? await probe.SettledResidentAsync(stop.Token) : 0;
        var subscribers = Enumerable.Range(0, options.Subscribers).Select(_ => new SseSubscriber(run)).ToArray();
        var request = Encoding.ASCII.GetBytes($"GET {options.SubscribePath} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n");
        var connectCpuBefore = probe.Any ? probe.CpuSeconds() : 0;
        var connectClock = Stopwatch.StartNew();
        var readers = Enumerable.Repeat(Task.CompletedTask, subscribers.Length).ToArray();
        using (var inFlight = new SemaphoreSlim(ConnectsInFlight))
        {
            await Task.WhenAll(subscribers.Select(async (subscriber, i) =>
            {
                await inFlight.WaitAsync(stop.Token);
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    // Reading starts as soon as the request is out, so a head is taken when it arrives,
                    // not when the last of thousands of connects is done.
                    readers[i] = await subscriber.ConnectAsync(endpoint, request, timeout.Token)
                        ? Task.Run(() => subscriber.ReadAsync(stop.Token))
                        : Task.CompletedTask;
                }
                finally
                {
                    inFlight.Release();
                }
            }));
        }
        var tcpSeconds = connectClock.Elapsed.TotalSeconds;
        var connected = subscribers.Where(s => !s.Failed).ToArray();
        // The original server sends its head only with its first message: wait a bounded time for heads.
        await Task.WhenAny(Task.WhenAll(connected.Select(s => s.HeadReceived)), Task.Delay(TimeSpan.FromSeconds(10)));
        var connectSeconds = connectClock.Elapsed.TotalSeconds;
        Console.Error.WriteLine(FormattableString.Invariant($"connect phase: {connectSeconds:0.00} s wall ({tcpSeconds:0.00} s to connect and send), server CPU {(probe.Any ? probe.CpuSeconds() - connectCpuBefore : double.NaN):0.00} s"));
        var connectTimes = new LatencyHistogram();
        foreach (var subscriber in connected.Where(s => s.Accepted))
        {
            connectTimes.RecordTicks(subscriber.ConnectTicks);
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        var rssSubscribed = probe.Any ? await probe.SettledResidentAsync(stop.Token) : 0;

        // MQTT at QoS 0 acknowledges nothing: what reached the store is read back from the server.
        var countStored = options.Ingest == IngestMode.Mqtt && options.Target.StartsWith("ours", StringComparison.Ordinal);
        var storedBefore = countStored ? await StoredCountAsync(options) : 0;
        var serverCpuBefore = probe.Any ? probe.CpuSeconds() : 0;
        var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var machineBefore = ProcessProbe.MachineBusySeconds();
        var ingestClock = Stopwatch.StartNew();
        await IngestAsync(run, endpoint, options, options.Duration);
        var ingestSeconds = ingestClock.Elapsed.TotalSeconds;
        var serverCpu = probe.Any ? probe.CpuSeconds() - serverCpuBefore : double.NaN;
        var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore).TotalSeconds;
        var otherCpu = Math.Max(0, ProcessProbe.MachineBusySeconds() - machineBefore - ownCpu - (double.IsNaN(serverCpu) ? 0 : serverCpu));
        // Stored by the end of the run: the rate's basis. QoS 0 messages still queued then are counted once settled.
        var storedInRun = countStored ? await ReadStoredCountAsync(options) - storedBefore : 0;

        // Let the last readings arrive: until every subscriber holds the newest or learned of every reading.
        var acknowledged = run.Acknowledged;
        var drain = Stopwatch.StartNew();
        while (drain.Elapsed < TimeSpan.FromSeconds(5)
            && connected.Any(s => !s.Failed && s.Delivered + s.Coalesced < acknowledged && s.NewestIndex < run.HighestAcknowledged))
        {
            await Task.Delay(50);
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        var report = new LoadReport(options, connected.Length, subscribers.Length - connected.Length, connected.Count(s => s.Accepted), connectSeconds, connectTimes,
            probe.Any ? (rssSubscribed - rssBefore) / (double)Math.Max(1, connected.Length) : double.NaN, rssBefore, rssSubscribed,
            run, ingestSeconds, serverCpu / ingestSeconds, ownCpu / ingestSeconds, otherCpu / ingestSeconds,
            connected.Sum(s => s.Delivered), connected.Sum(s => s.Coalesced), connected.Sum(s => s.Missed(acknowledged)),
            connected.Count(s => s.Failed),
            countStored ? storedInRun : null,
            countStored ? await StoredCountAsync(options) - storedBefore : null);
        if (options.PerReading)
        {
            run.Spread.Print(Console.Error, run.Issued);
        }
        report.Print(Console.Out);
        return 0;
    }

    // The count once it has stopped moving (at most a minute): QoS 0 messages still queued when the run ends are counted too.
    private static async Task<long> StoredCountAsync(LoadOptions options)
    {
        var count = await ReadStoredCountAsync(options);
        for (var settle = 0; settle < 60; settle++)
        {
            await Task.Delay(1000);
            var again = await ReadStoredCountAsync(options);
            if (again == count)
            {
                break;
            }
            count = again;
        }
        return count;
    }

    private static async Task<long> ReadStoredCountAsync(LoadOptions options)
    {
        using var client = new HttpClient { BaseAddress = options.Server };
        using var sensors = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/api/sensors"));
        return sensors.RootElement.EnumerateArray()
            .Where(sensor => sensor.GetProperty("id").GetString() == options.Sensor)
            .Select(sensor => sensor.GetProperty("count").GetInt64())
            .FirstOrDefault();
    }

    /// <summary>Sends readings of <paramref name="run"/> over the configured connections for <paramref name="duration"/>.</summary>
    private static async Task IngestAsync(LoadRun run, IPEndPoint endpoint, LoadOptions options, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(duration);
        var period = options.Rate > 0 ? Stopwatch.Frequency / options.Rate : 0;
        var startedAt = Stopwatch.GetTimestamp();
        if (options.Ingest == IngestMode.Mqtt)
        {
            var broker = options.Broker ?? throw new ArgumentException("--ingest mqtt needs --mqtt mqtt://HOST:PORT.");
            await Task.WhenAll(Enumerable.Range(0, options.Connections)
                .Select(_ => new MqttIngestWorker(run, broker, options.Qos, options.Sensor, options.Key))
                .Select(worker => Task.Run(() => worker.RunAsync(startedAt, period, stop.Token))));
            return;
        }
        await Task.WhenAll(Enumerable.Range(0, options.Connections)
            .Select(_ => new IngestWorker(run, endpoint, options.Ingest, options.Sensor, options.Batch, options.Key))
            .Select(worker => Task.Run(() => worker.RunAsync(startedAt, period, stop.Token))));
    }
}
