using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Live;

/// <summary>
/// One reading as an SSE message of <c>/api/stream</c>: <c>id:</c> its sequence id, <c>event: reading</c>,
/// <c>data:</c> the reading as one line of JSON (JSON escapes line breaks, so no input can split a frame).
/// </summary>
public static class ReadingFrame
{
    public static readonly byte[] Reset = "event: reset\ndata: {}\n\n"u8.ToArray();

    private static readonly JsonWriterOptions Compact = new() { Indented = false };

    public static byte[] Encode(Reading reading)
    {
        var buffer = new ArrayBufferWriter<byte>(192);
        buffer.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"id: {reading.Sequence}\nevent: reading\ndata: ")));
        using (var json = new Utf8JsonWriter(buffer, Compact))
        {
            JsonSerializer.Serialize(json, reading, LiveJsonContext.Default.Reading);
        }
        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
