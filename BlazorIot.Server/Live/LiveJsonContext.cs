using System.Text.Json.Serialization;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Live;

[JsonSerializable(typeof(Reading))]
internal sealed partial class LiveJsonContext : JsonSerializerContext;
