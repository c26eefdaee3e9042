namespace BlazorIot.Server.Dashboard;

/// <summary>
/// How a sensor has been reporting: its usual interval (the median of its recent intervals),
/// readings in the last minute, and whether it has gone quiet — silent for more than three
/// usual intervals. Fed with reading timestamps; asks the clock only for "now".
/// </summary>
/// <remarks>
/// Every open dashboard asks each card for these once a second, so the answers allocate nothing:
/// the median is worked out once per reading, in buffers kept for the card's life.
/// </remarks>
public sealed class SensorActivity(TimeProvider time)
{
    private const int Remembered = 61;
    private readonly DateTimeOffset[] recent = new DateTimeOffset[Remembered];
    private readonly TimeSpan[] gaps = new TimeSpan[Remembered - 1];
    private int oldest;
    private int count;

    public DateTimeOffset? Last { get; private set; }

    /// <summary>The median gap between recent readings; null until there are two.</summary>
    public TimeSpan? UsualInterval { get; private set; }

    public void Add(DateTimeOffset timestamp)
    {
        if (Last is { } last && timestamp < last)
        {
            return;
        }
        if (count == Remembered)
        {
            recent[oldest] = timestamp;
            oldest = (oldest + 1) % Remembered;
        }
        else
        {
            recent[(oldest + count) % Remembered] = timestamp;
            count++;
        }
        Last = timestamp;
        UsualInterval = count < 2 ? null : MedianGap();
    }

    private TimeSpan MedianGap()
    {
        var previous = recent[oldest];
        for (var i = 1; i < count; i++)
        {
            var current = recent[(oldest + i) % Remembered];
            gaps[i - 1] = current - previous;
            previous = current;
        }
        var span = gaps.AsSpan(0, count - 1);
        span.Sort();
        return span[span.Length / 2];
    }

    public int ReadingsInLastMinute()
    {
        var since = time.GetUtcNow().AddMinutes(-1);
        // Timestamps only grow, so the recent ones are at the end.
        var inLastMinute = 0;
        for (var i = count - 1; i >= 0 && recent[(oldest + i) % Remembered] > since; i--)
        {
            inLastMinute++;
        }
        return inLastMinute;
    }

    public bool IsStale() =>
        Last is { } last && UsualInterval is { } usual && time.GetUtcNow() - last > 3 * (usual > TimeSpan.Zero ? usual : TimeSpan.FromSeconds(1));
}
