using System.Text.Json;
using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Charts;

/// <remarks>
/// Also what the chart's interop calls carry, as JSON text. Blazor serializes interop arguments
/// with one <see cref="JsonSerializerOptions"/> per circuit, which builds its own reflection
/// metadata for every argument type (and each of its interfaces): kilobytes per open dashboard.
/// A string argument needs none, and this context's metadata is built once per process.
/// </remarks>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ChartAppends))]
[JsonSerializable(typeof(LineChartSetup))]
[JsonSerializable(typeof(IReadOnlyList<ChartSeries>))]
[JsonSerializable(typeof(ChartThresholds))]
internal sealed partial class ChartJsonContext : JsonSerializerContext;
