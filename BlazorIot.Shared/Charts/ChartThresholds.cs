namespace BlazorIot.Shared.Charts;

/// <summary>Horizontal dashed lines the chart draws at a low and a high limit.</summary>
public sealed record ChartThresholds(double? Low, double? High);
