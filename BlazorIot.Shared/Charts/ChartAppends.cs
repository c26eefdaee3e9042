namespace BlazorIot.Shared.Charts;

/// <summary>
/// The points a <see cref="LineChart"/> render carries to the browser, as JSON in the chart's
/// <c>data-appended</c> attribute. <paramref name="Generation"/> rises with every render that carries
/// points, so two equal batches are still two changes and the browser applies each once.
/// </summary>
internal sealed record ChartAppends(long Generation, IReadOnlyList<SeriesAppend> Appends);
