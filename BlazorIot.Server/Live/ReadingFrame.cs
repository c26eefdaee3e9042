using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Live;

/// <summary>
/// One reading as an SSE message of <c>/api/stream</c>: <c>id:</c> its sequence id, <c>event: reading</c>,
/// <c>data:</c> the reading as one line of JSON (JSON escapes line breaks, so no input can split a frame).
/// </summary>
/// <remarks>
/// Encoded once per reading, for every stream, into a reused per-thread buffer; the frame itself
/// is the one right-sized array all subscribers share.
/// </remarks>
public static class ReadingFrame
{
    public static readonly byte[] Reset = "event: reset\ndata: {}\n\n"u8.ToArray();

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Json)? scratch;

    public static byte[] Encode(Reading reading)
    {
        var (buffer, json) = scratch ??= NewScratch();
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        buffer.Write("id: "u8);
        Utf8Formatter.TryFormat(reading.Sequence, buffer.GetSpan(20), out var written);
        buffer.Advance(written);
        buffer.Write("\nevent: reading\ndata: "u8);
        JsonSerializer.Serialize(json, reading, LiveJsonContext.Default.Reading);
        json.Flush();
        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewScratch()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        return (buffer, new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }));
    }
}
