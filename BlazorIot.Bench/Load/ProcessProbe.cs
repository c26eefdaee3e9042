using System.Globalization;

namespace BlazorIot.Bench.Load;

/// <summary>Resident memory and CPU time of the server's processes (nginx has several), from /proc.</summary>
internal sealed class ProcessProbe(IReadOnlyList<int> pids)
{
    public bool Any => pids.Count > 0;

    /// <summary>The <c>--pids</c> option: process ids separated by commas, none when absent.</summary>
    public static int[] ParsePids(string? option) =>
        (option ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();

    public long ResidentBytes()
    {
        long total = 0;
        foreach (var pid in pids)
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    total += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        return total;
    }

    /// <summary>User + system CPU time of all the processes, in seconds.</summary>
    public double CpuSeconds()
    {
        double total = 0;
        foreach (var pid in pids)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may hold spaces) start at field 3.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            total += (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        return total;
    }

    /// <summary>
    /// CPU time the whole machine spent busy so far (every state of /proc/stat's first line but idle
    /// and iowait), in seconds: less the server's and the bench's, what other processes took.
    /// </summary>
    public static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest time is already in user).
        return (fields.Take(8).Sum() - fields[3] - fields[4]) / 100.0;
    }

    /// <summary>The median of a few samples, a quarter second apart: RSS moves with the GC.</summary>
    public async Task<long> SettledResidentAsync(CancellationToken cancellationToken)
    {
        var samples = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            samples.Add(ResidentBytes());
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
        samples.Sort();
        return samples[samples.Count / 2];
    }
}
