namespace BlazorIot.Server.Dashboard;

/// <summary>The time range a chart shows: the live tail, a span back from now, or fixed bounds.</summary>
public sealed record ChosenRange(string Key, TimeSpan? Span = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    public static readonly ChosenRange Live = new("live");

    public static readonly IReadOnlyList<ChosenRange> Presets =
    [
        Live,
        new("15m", TimeSpan.FromMinutes(15)),
        new("1h", TimeSpan.FromHours(1)),
        new("24h", TimeSpan.FromDays(1)),
        new("7d", TimeSpan.FromDays(7)),
    ];

    /// <summary>Live and short spans draw raw readings and keep the live tail flowing; longer ones draw aggregates.</summary>
    public bool FollowsLive => Key == "live" || Span <= TimeSpan.FromHours(1);

    public static ChosenRange Custom(DateTimeOffset from, DateTimeOffset to) => new("custom", null, from, to);

    public string Title => Key switch
    {
        "live" => "Live",
        "15m" => "15 min",
        "1h" => "1 h",
        "24h" => "24 h",
        "7d" => "7 d",
        _ => "Custom",
    };

    /// <summary>The bounds at <paramref name="now"/>; the live range has none.</summary>
    public (DateTimeOffset From, DateTimeOffset To)? Bounds(DateTimeOffset now) => this switch
    {
        { Span: { } span } => (now - span, now),
        { From: { } from, To: { } to } => (from, to),
        _ => null,
    };

    /// <summary>A bucket size that draws the range in about <paramref name="points"/> points, in whole seconds.</summary>
    public static TimeSpan BucketFor(DateTimeOffset from, DateTimeOffset to, int points = 720) =>
        TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((to - from).TotalSeconds / points)));
}
