namespace BlazorIot.Server.Live;

/// <summary>
/// How often a sensor reports, from the timestamps of its recent readings, and the rule for when it
/// has gone silent: no reading for more than three usual intervals (the usual interval being the
/// median gap of the recent readings), or for more than the sensor's own limit when one is set.
/// The dashboard's grey stale mark and the silence notifications both ask this one rule.
/// </summary>
/// <remarks>
/// Every open dashboard asks each card once a second, so the answers allocate nothing: the median
/// is worked out once per reading, in buffers kept for the cadence's life (bounded: the last
/// <see cref="Remembered"/> readings).
/// </remarks>
public sealed class ReadingCadence
{
    /// <summary>How many recent readings the usual interval is learned from.</summary>
    public const int Remembered = 61;

    /// <summary>How many usual intervals without a reading make a sensor silent.</summary>
    public const int SilentAfterIntervals = 3;

    // A sensor sending bursts with equal timestamps has a usual interval of zero; a second keeps it from being silent at once.
    private static readonly TimeSpan ShortestInterval = TimeSpan.FromSeconds(1);

    private readonly DateTimeOffset[] recent = new DateTimeOffset[Remembered];
    private readonly TimeSpan[] gaps = new TimeSpan[Remembered - 1];
    private int oldest;
    private int count;

    public DateTimeOffset? Last { get; private set; }

    /// <summary>The median gap between recent readings; null until there are two.</summary>
    public TimeSpan? UsualInterval { get; private set; }

    /// <summary>Takes a reading's timestamp; false (and ignored) when it is older than the last one.</summary>
    public bool Add(DateTimeOffset timestamp)
    {
        if (Last is { } last && timestamp < last)
        {
            return false;
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
        return true;
    }

    /// <summary>How long without a reading makes the sensor silent: <paramref name="silentAfter"/> when set, else three usual intervals; null when unknown yet.</summary>
    public TimeSpan? SilenceLimit(TimeSpan? silentAfter) =>
        silentAfter ?? (UsualInterval is { } usual ? SilentAfterIntervals * (usual > TimeSpan.Zero ? usual : ShortestInterval) : null);

    /// <summary>The instant after which the sensor counts as silent (the last reading plus the limit); null when it cannot be told.</summary>
    public DateTimeOffset? SilentAfter(TimeSpan? silentAfter) =>
        Last is { } last && SilenceLimit(silentAfter) is { } limit ? last + limit : null;

    /// <summary>True once more than the silence limit has passed since the last reading.</summary>
    public bool IsSilent(DateTimeOffset now, TimeSpan? silentAfter) => SilentAfter(silentAfter) is { } from && now > from;

    /// <summary>How many of the recent readings are later than <paramref name="since"/>.</summary>
    public int CountSince(DateTimeOffset since)
    {
        // Timestamps only grow, so the recent ones are at the end.
        var later = 0;
        for (var i = count - 1; i >= 0 && recent[(oldest + i) % Remembered] > since; i--)
        {
            later++;
        }
        return later;
    }

    /// <summary>The recent timestamps, oldest first.</summary>
    public IEnumerable<DateTimeOffset> Recent()
    {
        for (var i = 0; i < count; i++)
        {
            yield return recent[(oldest + i) % Remembered];
        }
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
}
