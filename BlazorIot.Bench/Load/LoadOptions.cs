namespace BlazorIot.Bench.Load;

/// <summary>One load run: who subscribes where, and how readings are sent.</summary>
internal sealed record LoadOptions(
    string Scenario,
    string Target,
    Uri Server,
    int Subscribers,
    string SubscribePath,
    IngestMode Ingest,
    double Rate,
    TimeSpan Duration,
    int Connections,
    int Batch,
    string Sensor,
    IReadOnlyList<int> ServerPids,
    string? Key,
    long MaxReadings,
    TimeSpan Warmup,
    bool PerReading,
    Uri? Broker,
    int Qos)
{
    public static LoadOptions Parse(Func<string, string?> option)
    {
        var target = option("--target") ?? "ours";
        var ingest = Enum.Parse<IngestMode>(option("--ingest") ?? (target == "nchan" ? "nchan" : "legacy"), ignoreCase: true);
        var sensor = option("--sensor") ?? (ingest is IngestMode.Legacy ? "luminosity" : "bench");
        var defaultPath = target switch
        {
            "nchan" => "/sub",
            _ => sensor == "luminosity" ? "/connexion" : "/connexion?sensor=" + sensor,
        };
        var rate = option("--rate") ?? "max";
        return new LoadOptions(
            option("--scenario") ?? "load",
            target,
            new Uri(option("--url") ?? throw new ArgumentException("--url is required (the server under test).")),
            int.Parse(option("--subscribers") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
            option("--path") ?? defaultPath,
            ingest,
            rate == "max" ? 0 : double.Parse(rate, System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(option("--duration") ?? "10", System.Globalization.CultureInfo.InvariantCulture)),
            int.Parse(option("--connections") ?? (rate == "max" ? "32" : "4"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(option("--batch") ?? "1000", System.Globalization.CultureInfo.InvariantCulture),
            sensor,
            ProcessProbe.ParsePids(option("--pids")),
            option("--key"),
            long.Parse(option("--max-readings") ?? "10000000", System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(option("--warmup") ?? "5", System.Globalization.CultureInfo.InvariantCulture)),
            option("--per-reading") == "true",
            option("--mqtt") is { } broker ? new Uri(broker) : null,
            int.Parse(option("--qos") ?? "1", System.Globalization.CultureInfo.InvariantCulture));
    }
}
