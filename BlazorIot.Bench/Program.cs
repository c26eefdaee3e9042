using BlazorIot.Bench;

// Benchmarks that drive a real server over loopback. Usage:
//   dotnet run -c Release --project BlazorIot.Bench -- circuits [--server path/to/BlazorIot.Server.dll] [--dashboards 4,12] [--workstation-gc]
//   dotnet run -c Release --project BlazorIot.Bench -- range7d [--server path/to/BlazorIot.Server.dll]
//   dotnet run -c Release --project BlazorIot.Bench -- load --url http://127.0.0.1:PORT [--target ours|nchan|original] [--subscribers N]
//       [--path /connexion] [--ingest legacy|post|batch|nchan] [--rate R|max] [--duration S] [--connections K] [--batch B] [--pids P,Q]
//   (bench/compare.sh runs them side by side against the original server and nginx + nchan)
//   dotnet run -c Release --project BlazorIot.Bench -- hub-circuits --url http://127.0.0.1:PORT [--circuits N] [--duration S] [--pids P]
//   dotnet run -c Release --project BlazorIot.Bench -- micro [BenchmarkDotNet arguments, e.g. --filter *Publish*]
var scenario = args.FirstOrDefault() ?? "circuits";
if (scenario == "hub-circuits")
{
    return await BlazorIot.Bench.Circuits.CircuitLoad.RunAsync(
        new Uri(Option("--url") ?? throw new ArgumentException("--url is required (the server under test).")),
        int.Parse(Option("--circuits") ?? "100", System.Globalization.CultureInfo.InvariantCulture),
        TimeSpan.FromSeconds(int.Parse(Option("--duration") ?? "30", System.Globalization.CultureInfo.InvariantCulture)),
        (Option("--pids") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
}
if (scenario == "micro")
{
    return BlazorIot.Bench.Micro.MicroBenchmarks.Run(args[1..]);
}
if (scenario == "load")
{
    return await BlazorIot.Bench.Load.SseLoad.RunAsync(BlazorIot.Bench.Load.LoadOptions.Parse(Option));
}
var server = Option("--server") ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "BlazorIot.Server", "bin", "Release", "net10.0", "BlazorIot.Server.dll"));
if (!File.Exists(server))
{
    Console.Error.WriteLine($"No server at {server}: build it first (dotnet build -c Release BlazorIot.Server) or pass --server.");
    return 2;
}
switch (scenario)
{
    case "circuits":
        var counts = (Option("--dashboards") ?? "4,12").Split(',').Select(int.Parse).ToArray();
        return await CircuitMemory.RunAsync(server, counts[0], counts[1], args.Contains("--workstation-gc"));
    case "range7d":
        return await RangeDraw.RunAsync(server);
    default:
        Console.Error.WriteLine($"Unknown scenario {scenario}. Scenarios: circuits, range7d, load, hub-circuits, micro.");
        return 2;
}

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
