using BlazorIot.Shared.Charts;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Dashboard;

/// <summary>What a <see cref="SensorCard"/> needs of its sensor's recent readings: the points, oldest first, and the newest reading.</summary>
/// <remarks>
/// Not the readings themselves: the home page holds this for its life, one per card on every open
/// dashboard, and 120 points take 2 kB where 120 readings took 12.
/// </remarks>
public sealed record CardHistory(ChartPoint[] Points, Reading? Newest)
{
    public static readonly CardHistory Empty = new([], null);

    public static CardHistory From(IReadOnlyList<Reading> oldestFirst)
    {
        if (oldestFirst.Count == 0)
        {
            return Empty;
        }
        var points = new ChartPoint[oldestFirst.Count];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = ChartPoint.From(oldestFirst[i]);
        }
        return new CardHistory(points, oldestFirst.MaxBy(r => r.Sequence));
    }
}
