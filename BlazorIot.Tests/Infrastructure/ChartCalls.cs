using System.Text.Json;
using BlazorIot.Shared.Charts;
using Bunit;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>
/// Reads the JSON text the chart's interop calls carry (<c>createChart</c>'s setup,
/// <c>replaceSeries</c>' series, <c>setThresholds</c>' limits) as the module would parse it.
/// </summary>
internal static class ChartCalls
{
    public static LineChartSetup Setup(JSRuntimeInvocation createChart) =>
        JsonSerializer.Deserialize(Json(createChart), ChartJsonContext.Default.LineChartSetup)!;

    public static IReadOnlyList<ChartSeries> Series(JSRuntimeInvocation replaceSeries) =>
        JsonSerializer.Deserialize(Json(replaceSeries), ChartJsonContext.Default.IReadOnlyListChartSeries)!;

    public static ChartThresholds? Thresholds(JSRuntimeInvocation setThresholds) =>
        JsonSerializer.Deserialize(Json(setThresholds), ChartJsonContext.Default.ChartThresholds);

    private static string Json(JSRuntimeInvocation call) => Assert.IsType<string>(call.Arguments[1]);
}
