using BlazorIot.Server.Live;

namespace BlazorIot.Server.Dashboard;

/// <summary>
/// How a sensor has been reporting, for its card: its usual interval, readings in the last minute,
/// and whether it has gone quiet by <see cref="ReadingCadence"/>'s rule (the one the silence
/// notifications follow). Fed with reading timestamps; asks the clock only for "now".
/// </summary>
/// <remarks>
/// Every open dashboard asks each card for these once a second, so the answers allocate nothing
/// (see <see cref="ReadingCadence"/>).
/// </remarks>
public sealed class SensorActivity(TimeProvider time)
{
    private readonly ReadingCadence cadence = new();

    public DateTimeOffset? Last => cadence.Last;

    /// <summary>The median gap between recent readings; null until there are two.</summary>
    public TimeSpan? UsualInterval => cadence.UsualInterval;

    /// <summary>The sensor's own silence limit, replacing three usual intervals; null for automatic.</summary>
    public TimeSpan? SilentAfter { get; set; }

    public void Add(DateTimeOffset timestamp) => cadence.Add(timestamp);

    public int ReadingsInLastMinute() => cadence.CountSince(time.GetUtcNow().AddMinutes(-1));

    public bool IsStale() => cadence.IsSilent(time.GetUtcNow(), SilentAfter);
}
