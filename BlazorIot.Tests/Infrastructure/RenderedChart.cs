using System.Text.Json;
using BlazorIot.Shared.Charts;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>
/// Reads what a rendered <see cref="LineChart"/> carries to the browser: the newest batch of live
/// points in its <c>data-appended</c> attribute, which the chart's module applies.
/// </summary>
internal static class RenderedChart
{
    /// <summary>The batch numbered <paramref name="Generation"/>: points per series index.</summary>
    public sealed record Appended(long Generation, IReadOnlyDictionary<int, ChartPoint[]> Series)
    {
        public ChartPoint[] Points => Series[0];
    }

    /// <summary>The newest batch of the first chart in <paramref name="cut"/>, or null before any.</summary>
    public static Appended? LastAppended<TComponent>(this IRenderedComponent<TComponent> cut) where TComponent : IComponent
    {
        var json = cut.Find(".line-chart").GetAttribute("data-appended");
        if (json is null)
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        var series = document.RootElement.GetProperty("appends").EnumerateArray().ToDictionary(
            append => append.GetProperty("series").GetInt32(),
            append => append.GetProperty("points").EnumerateArray()
                .Select(point => new ChartPoint(point.GetProperty("x").GetInt64(), point.GetProperty("y").GetDouble()))
                .ToArray());
        return new Appended(document.RootElement.GetProperty("generation").GetInt64(), series);
    }
}
