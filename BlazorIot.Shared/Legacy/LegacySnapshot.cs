using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Shared.Legacy;

/// <summary>
/// The message the original lab server pushed on <c>/connexion</c>: the newest readings of one
/// sensor as parallel arrays of <c>HH:MM:SS</c> labels (server local time) and values.
/// </summary>
public sealed record LegacySnapshot(
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("data")] IReadOnlyList<double> Data)
{
    /// <summary>The original page shows exactly this many points.</summary>
    public const int Size = 10;

    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] FrameEnd = "\n\n"u8.ToArray();

    /// <summary>The newest <see cref="Size"/> readings of <paramref name="window"/> (oldest first), labelled in <paramref name="localZone"/>.</summary>
    public static LegacySnapshot From(IReadOnlyList<Reading> window, TimeZoneInfo localZone)
    {
        var start = Math.Max(0, window.Count - Size);
        var labels = new string[window.Count - start];
        var data = new double[labels.Length];
        for (var i = start; i < window.Count; i++)
        {
            labels[i - start] = Label(window[i].Timestamp, localZone);
            data[i - start] = window[i].Value;
        }
        return new LegacySnapshot(labels, data);
    }

    public static string Label(DateTimeOffset timestamp, TimeZoneInfo localZone) =>
        TimeZoneInfo.ConvertTime(timestamp, localZone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The compact JSON the original page parses: <c>{"labels":[...],"data":[...]}</c>, keys in that order.</summary>
    public string ToJson() => Encoding.UTF8.GetString(Encode(withFrame: false));

    /// <summary>One complete SSE message: <c>data: {json}</c> and a blank line.</summary>
    public byte[] ToSseFrame() => Encode(withFrame: true);

    // Utf8JsonWriter asks its buffer for 4 kB at a time: a reused per-thread buffer keeps that to
    // once per thread, and each frame is then one right-sized array.
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Json)? scratch;

    private byte[] Encode(bool withFrame)
    {
        var (buffer, json) = scratch ??= (new ArrayBufferWriter<byte>(4096), new Utf8JsonWriter(Stream.Null));
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        if (withFrame)
        {
            buffer.Write(DataPrefix);
        }
        json.WriteStartObject();
        json.WriteStartArray("labels"u8);
        foreach (var label in Labels)
        {
            json.WriteStringValue(label);
        }
        json.WriteEndArray();
        json.WriteStartArray("data"u8);
        foreach (var value in Data)
        {
            json.WriteNumberValue(value);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        if (withFrame)
        {
            buffer.Write(FrameEnd);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
