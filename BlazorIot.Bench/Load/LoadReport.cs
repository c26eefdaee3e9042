using System.Globalization;
using System.Text.Json;

namespace BlazorIot.Bench.Load;

/// <summary>The figures of one load run: a table for people, one JSON line for scripts.</summary>
internal sealed record LoadReport(
    LoadOptions Options,
    int Connected,
    int Refused,
    int HeadsBeforeIngest,
    double ConnectSeconds,
    LatencyHistogram ConnectTimes,
    double RssPerSubscriber,
    long RssBefore,
    long RssSubscribed,
    LoadRun Run,
    double IngestSeconds,
    double ServerCpuShare,
    double BenchCpuShare,
    double OtherCpuShare,
    long Delivered,
    long Coalesced,
    long Missed,
    int DroppedDuringRun,
    long? Stored = null,
    long? StoredEventually = null)
{
    public void Print(TextWriter output)
    {
        var readingsPerSecond = Run.Acknowledged / IngestSeconds;
        var requestsPerSecond = Interlocked.Read(ref Run.Requests) / IngestSeconds;
        var rate = Options.Rate > 0 ? Options.Rate.ToString(CultureInfo.InvariantCulture) + "/s" : "max";
        output.WriteLine(Invariant($"target {Options.Target}: {Connected} subscribers on {Options.SubscribePath} ({Refused} refused), ingest {Options.Ingest} at {rate} over {Options.Connections} connections for {IngestSeconds:0.0} s"));
        output.WriteLine("| measure | value |");
        output.WriteLine("| --- | ---: |");
        output.WriteLine(Invariant($"| connect all, until every response head (wall) | {ConnectSeconds * 1000:0} ms ({HeadsBeforeIngest} heads before ingest) |"));
        output.WriteLine(Invariant($"| connect p50 / p99 | {ConnectTimes.Percentile(50):0.0} / {ConnectTimes.Percentile(99):0.0} ms |"));
        output.WriteLine(Invariant($"| server RSS before / subscribed | {RssBefore / 1048576.0:0.0} / {RssSubscribed / 1048576.0:0.0} MB |"));
        output.WriteLine(Invariant($"| server memory per idle subscriber | {RssPerSubscriber / 1024:0.0} kB |"));
        output.WriteLine(Invariant($"| ingest requests/s | {requestsPerSecond:0} |"));
        output.WriteLine(Invariant($"| readings acknowledged/s | {readingsPerSecond:0} ({Run.Acknowledged} in all, {Run.Failures} failed requests) |"));
        if (Stored is { } stored)
        {
            output.WriteLine(Invariant($"| readings stored by the run's end / once settled (read back) | {stored} ({stored / IngestSeconds:0}/s) / {StoredEventually} |"));
        }
        output.WriteLine(Invariant($"| answers 2xx / other status / connection failed | {Interlocked.Read(ref Run.Answered2xx)} / {Interlocked.Read(ref Run.AnsweredOther)} / {Interlocked.Read(ref Run.Failures) - Interlocked.Read(ref Run.AnsweredOther)} |"));
        output.WriteLine(Invariant($"| ingest latency p50 / p99 | {Run.IngestLatency.Percentile(50):0.00} / {Run.IngestLatency.Percentile(99):0.00} ms |"));
        output.WriteLine(Invariant($"| end-to-end p50 / p99 / max | {Run.EndToEnd.Percentile(50):0.00} / {Run.EndToEnd.Percentile(99):0.00} / {Run.EndToEnd.MaxMilliseconds:0.00} ms |"));
        output.WriteLine(Invariant($"| deliveries: newest / coalesced / missed | {Delivered} / {Coalesced} / {Missed} |"));
        output.WriteLine(Invariant($"| subscribers cut off during the run | {DroppedDuringRun} |"));
        output.WriteLine(Invariant($"| server CPU / bench CPU (cores) | {ServerCpuShare:0.00} / {BenchCpuShare:0.00}{(GeneratorBound ? " (generator-bound: the bench took 0.9 core or more)" : "")} |"));
        output.WriteLine(Invariant($"| other processes' CPU (cores) | {OtherCpuShare:0.00} |"));
        var json = new Dictionary<string, object?>
        {
            ["scenario"] = Options.Scenario,
            ["target"] = Options.Target,
            ["subscribers"] = Connected,
            ["refused"] = Refused,
            ["path"] = Options.SubscribePath,
            ["ingest"] = Options.Ingest.ToString().ToLowerInvariant(),
            ["qos"] = Options.Ingest == IngestMode.Mqtt ? Options.Qos : null,
            ["stored"] = Stored,
            ["storedEventually"] = StoredEventually,
            ["storedPerSecond"] = Stored is { } count ? Math.Round(count / IngestSeconds) : null,
            ["rate"] = Options.Rate,
            ["connections"] = Options.Connections,
            ["batch"] = Options.Ingest == IngestMode.Batch ? Options.Batch : 1,
            ["seconds"] = Math.Round(IngestSeconds, 2),
            ["connectMs"] = Math.Round(ConnectSeconds * 1000),
            ["headsBeforeIngest"] = HeadsBeforeIngest,
            ["connectP99Ms"] = Round(ConnectTimes.Percentile(99)),
            ["bytesPerSubscriber"] = double.IsNaN(RssPerSubscriber) ? null : Math.Round(RssPerSubscriber),
            ["requestsPerSecond"] = Math.Round(Interlocked.Read(ref Run.Requests) / IngestSeconds),
            ["readingsPerSecond"] = Math.Round(readingsPerSecond),
            ["acknowledged"] = Run.Acknowledged,
            ["failed"] = Run.Failures,
            ["ok2xx"] = Interlocked.Read(ref Run.Answered2xx),
            ["non2xx"] = Interlocked.Read(ref Run.AnsweredOther),
            ["socketErrors"] = Interlocked.Read(ref Run.Failures) - Interlocked.Read(ref Run.AnsweredOther),
            ["ingestP50Ms"] = Round(Run.IngestLatency.Percentile(50)),
            ["ingestP99Ms"] = Round(Run.IngestLatency.Percentile(99)),
            ["e2eP50Ms"] = Round(Run.EndToEnd.Percentile(50)),
            ["e2eP99Ms"] = Round(Run.EndToEnd.Percentile(99)),
            ["e2eMaxMs"] = Round(Run.EndToEnd.MaxMilliseconds),
            ["delivered"] = Delivered,
            ["coalesced"] = Coalesced,
            ["missed"] = Missed,
            ["cutOff"] = DroppedDuringRun,
            ["serverCpu"] = double.IsNaN(ServerCpuShare) ? null : Math.Round(ServerCpuShare, 2),
            ["benchCpu"] = Math.Round(BenchCpuShare, 2),
            ["generator"] = "BlazorIot.Bench",
            ["generatorCpu"] = Math.Round(BenchCpuShare, 2),
            ["generatorBound"] = GeneratorBound,
            ["otherCpu"] = Math.Round(OtherCpuShare, 2),
        };
        output.WriteLine(JsonSerializer.Serialize(json));
    }

    /// <summary>The bench itself took 0.9 core or more while sending: on two cores it, not the server, may be the limit.</summary>
    public bool GeneratorBound => BenchCpuShare >= 0.9;

    private static double? Round(double value) => double.IsNaN(value) ? null : Math.Round(value, 2);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
