namespace BlazorIot.Shared.Charts;

/// <summary>What <c>createChart</c> and <c>replaceSeries</c> in <c>LineChart.razor.js</c> receive.</summary>
internal sealed record LineChartSetup(
    IReadOnlyList<ChartSeries> Series,
    int Capacity,
    bool Zoom,
    ChartThresholds? Thresholds,
    string? YTitle,
    string? Y2Title);
