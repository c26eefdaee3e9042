namespace BlazorIot.Shared.Charts;

/// <summary>What <c>createChart</c> in <c>LineChart.razor.js</c> receives.</summary>
internal sealed record LineChartSetup(string Label, string Color, int Capacity, IReadOnlyList<ChartPoint> Points);
