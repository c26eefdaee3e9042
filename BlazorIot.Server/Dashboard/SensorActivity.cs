namespace BlazorIot.Server.Dashboard;

/// <summary>
/// How a sensor has been reporting: its usual interval (the median of its recent intervals),
/// readings in the last minute, and whether it has gone quiet — silent for more than three
/// usual intervals. Fed with reading timestamps; asks the clock only for "now".
/// </summary>
public sealed class SensorActivity(TimeProvider time)
{
    private const int Remembered = 61;
    private readonly Queue<DateTimeOffset> recent = new();

    public DateTimeOffset? Last { get; private set; }

    public void Add(DateTimeOffset timestamp)
    {
        if (Last is { } last && timestamp < last)
        {
            return;
        }
        recent.Enqueue(timestamp);
        while (recent.Count > Remembered)
        {
            recent.Dequeue();
        }
        Last = timestamp;
    }

    /// <summary>The median gap between recent readings; null until there are two.</summary>
    public TimeSpan? UsualInterval
    {
        get
        {
            if (recent.Count < 2)
            {
                return null;
            }
            var times = recent.ToArray();
            var gaps = new TimeSpan[times.Length - 1];
            for (var i = 1; i < times.Length; i++)
            {
                gaps[i - 1] = times[i] - times[i - 1];
            }
            Array.Sort(gaps);
            return gaps[gaps.Length / 2];
        }
    }

    public int ReadingsInLastMinute()
    {
        var since = time.GetUtcNow().AddMinutes(-1);
        return recent.Count(t => t > since);
    }

    public bool IsStale() =>
        Last is { } last && UsualInterval is { } usual && time.GetUtcNow() - last > 3 * (usual > TimeSpan.Zero ? usual : TimeSpan.FromSeconds(1));
}
