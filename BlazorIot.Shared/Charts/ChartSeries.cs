using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Charts;

/// <summary>One dataset of a <see cref="LineChart"/>.</summary>
/// <param name="Label">Shown in the legend and the tooltip.</param>
/// <param name="Color">Any CSS colour.</param>
/// <param name="Points">The points, in time order.</param>
public sealed record ChartSeries(string Label, string Color, IReadOnlyList<ChartPoint> Points)
{
    /// <summary>A line, or the lower or upper edge of a band (a <see cref="SeriesKind.BandHigh"/> fills down to the series before it).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<SeriesKind>))]
    public SeriesKind Kind { get; init; } = SeriesKind.Line;

    /// <summary>Plotted against the right-hand axis (for a second unit).</summary>
    public bool SecondAxis { get; init; }
}

public enum SeriesKind
{
    Line,
    BandLow,
    BandHigh,
}
