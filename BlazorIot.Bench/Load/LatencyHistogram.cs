using System.Diagnostics;

namespace BlazorIot.Bench.Load;

/// <summary>
/// Latencies in microseconds, log-linear buckets (32 per power of two, so ~3 % precision), safe to
/// record from many threads at once, fixed size whatever the count: a load run records millions.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 32;
    private const int Powers = 40;
    private readonly long[] counts = new long[Powers * SubBuckets];
    private long max;
    private long total;

    public long Count => Interlocked.Read(ref total);

    public double MaxMilliseconds => Interlocked.Read(ref max) / 1000.0;

    public void RecordTicks(long stopwatchTicks) => Record(stopwatchTicks * 1_000_000 / Stopwatch.Frequency);

    public void Record(long microseconds)
    {
        microseconds = Math.Max(0, microseconds);
        Interlocked.Increment(ref counts[IndexOf(microseconds)]);
        Interlocked.Increment(ref total);
        long seen;
        while (microseconds > (seen = Interlocked.Read(ref max)) && Interlocked.CompareExchange(ref max, microseconds, seen) != seen)
        {
        }
    }

    /// <summary>The value at <paramref name="percentile"/> (0..100) in milliseconds, as the upper edge of its bucket; NaN when empty.</summary>
    public double Percentile(double percentile)
    {
        var count = Count;
        if (count == 0)
        {
            return double.NaN;
        }
        var rank = (long)Math.Ceiling(percentile / 100 * count);
        long running = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            running += Interlocked.Read(ref counts[i]);
            if (running >= Math.Max(1, rank))
            {
                return Math.Min(UpperEdge(i), Interlocked.Read(ref max)) / 1000.0;
            }
        }
        return MaxMilliseconds;
    }

    private static int IndexOf(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }
        var power = 63 - (int)long.LeadingZeroCount(value);
        var shift = power - 5;
        var sub = (int)(value >> shift) - SubBuckets;
        return Math.Min((shift + 1) * SubBuckets + sub, Powers * SubBuckets - 1);
    }

    private static long UpperEdge(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }
        var shift = index / SubBuckets - 1;
        var sub = index % SubBuckets;
        return ((long)(SubBuckets + sub + 1) << shift) - 1;
    }
}
