namespace BlazorIot.Bench.Load;

/// <summary>Lock-free running maximum and minimum, kept by many subscribers' readers at once.</summary>
internal static class Extremes
{
    /// <summary>Makes <paramref name="target"/> at least <paramref name="value"/>.</summary>
    public static void Raise(ref long target, long value)
    {
        long seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    /// <summary>Makes <paramref name="target"/> at most <paramref name="value"/>; 0 stands for "nothing yet".</summary>
    public static void Lower(ref long target, long value)
    {
        long seen;
        while (((seen = Volatile.Read(ref target)) == 0 || value < seen) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
