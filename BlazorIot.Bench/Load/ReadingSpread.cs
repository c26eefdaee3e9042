using System.Diagnostics;
using System.Globalization;

namespace BlazorIot.Bench.Load;

/// <summary>
/// For each of a run's first readings, how long its first and its last subscriber waited: a tail
/// made by one slow burst (a warm-up, a collection) looks different from one spread over every
/// burst, which the run's percentiles alone do not show.
/// </summary>
internal sealed class ReadingSpread
{
    public const int Readings = 4096;
    private readonly long[] first = new long[Readings];
    private readonly long[] last = new long[Readings];
    private readonly int[] deliveries = new int[Readings];

    public void Record(long index, long latencyTicks)
    {
        if (index >= Readings)
        {
            return;
        }
        Interlocked.Increment(ref deliveries[index]);
        Extremes.Raise(ref last[index], latencyTicks);
        Extremes.Lower(ref first[index], latencyTicks);
    }

    public void Print(TextWriter output, long issued)
    {
        var ms = Stopwatch.Frequency / 1000.0;
        output.WriteLine("| reading | deliveries | first ms | last ms |");
        output.WriteLine("| ---: | ---: | ---: | ---: |");
        for (var i = 0; i < Math.Min(issued, Readings); i++)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {i} | {deliveries[i]} | {first[i] / ms:0.0} | {last[i] / ms:0.0} |"));
        }
    }
}
