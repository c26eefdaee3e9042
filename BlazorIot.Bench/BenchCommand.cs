using System.Globalization;
using BlazorIot.Bench.Circuits;
using BlazorIot.Bench.Import;
using BlazorIot.Bench.Load;
using BlazorIot.Bench.Micro;

namespace BlazorIot.Bench;

/// <summary>
/// Benchmarks that drive a real server over loopback. Usage:
/// <code>
/// dotnet run -c Release --project BlazorIot.Bench -- circuits [--server path/to/BlazorIot.Server.dll] [--dashboards 4,12] [--workstation-gc]
/// dotnet run -c Release --project BlazorIot.Bench -- range7d [--server path/to/BlazorIot.Server.dll]
/// dotnet run -c Release --project BlazorIot.Bench -- load --url http://127.0.0.1:PORT [--target ours|nchan|original] [--subscribers N]
///     [--path /connexion] [--ingest legacy|post|batch|nchan] [--rate R|max] [--duration S] [--warmup S] [--connections K] [--batch B] [--pids P,Q]
///     [--per-reading true]   (each reading's first and last delivery, to stderr)
/// dotnet run -c Release --project BlazorIot.Bench -- hub-circuits --url http://127.0.0.1:PORT [--circuits N] [--duration S] [--pids P] [--client websocket|signalr]
/// dotnet run -c Release --project BlazorIot.Bench -- import --url http://127.0.0.1:PORT [--rows N] [--sensor ID] [--pids P] [--target NAME] [--scenario NAME] [--batch B]
///     (B: the server's Import:BatchRows, recorded with the figures)
/// dotnet run -c Release --project BlazorIot.Bench -- micro [BenchmarkDotNet arguments, e.g. --filter *Publish*]
/// </code>
/// bench/compare.sh runs load and hub-circuits side by side against the original server and nginx + nchan.
/// </summary>
internal static class BenchCommand
{
    public static async Task<int> Main(string[] args)
    {
        string? Option(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        var scenario = args.FirstOrDefault() ?? "circuits";
        switch (scenario)
        {
            case "hub-circuits":
                return await CircuitLoad.RunAsync(
                    new Uri(Option("--url") ?? throw new ArgumentException("--url is required (the server under test).")),
                    int.Parse(Option("--circuits") ?? "100", CultureInfo.InvariantCulture),
                    TimeSpan.FromSeconds(int.Parse(Option("--duration") ?? "30", CultureInfo.InvariantCulture)),
                    ProcessProbe.ParsePids(Option("--pids")),
                    Enum.Parse<CircuitClientKind>(Option("--client") ?? nameof(CircuitClientKind.WebSocket), ignoreCase: true));
            case "micro":
                return MicroBenchmarks.Run(args[1..]);
            case "load":
                return await SseLoad.RunAsync(LoadOptions.Parse(Option));
            case "import":
                return await ImportRun.RunAsync(Option);
            case "circuits" or "range7d":
                break;
            default:
                Console.Error.WriteLine($"Unknown scenario {scenario}. Scenarios: circuits, range7d, load, hub-circuits, import, micro.");
                return 2;
        }
        var server = Option("--server") ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "BlazorIot.Server", "bin", "Release", "net10.0", "BlazorIot.Server.dll"));
        if (!File.Exists(server))
        {
            Console.Error.WriteLine($"No server at {server}: build it first (dotnet build -c Release BlazorIot.Server) or pass --server.");
            return 2;
        }
        if (scenario == "range7d")
        {
            return await RangeDraw.RunAsync(server);
        }
        var counts = (Option("--dashboards") ?? "4,12").Split(',').Select(int.Parse).ToArray();
        return await CircuitMemory.RunAsync(server, counts[0], counts[1], args.Contains("--workstation-gc"));
    }
}
