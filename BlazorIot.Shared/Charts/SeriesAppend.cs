namespace BlazorIot.Shared.Charts;

/// <summary>Points to add at the end of one dataset, oldest first.</summary>
internal sealed record SeriesAppend(int Series, IReadOnlyList<ChartPoint> Points);
