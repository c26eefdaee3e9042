using System.Text.Json;
using System.Text.Json.Serialization;

namespace BlazorIot.Shared.Charts;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ChartAppends))]
internal sealed partial class ChartJsonContext : JsonSerializerContext;
