using System.Text;
using System.Text.Json;

namespace BlazorIot.Bench.Circuits;

/// <summary>
/// Finds the chart attributes' JSON in a render batch. Attribute values sit in the batch's string
/// table as UTF-8, and each is a JSON object, so it is found by its opening and read to its end.
/// </summary>
internal static class ChartAppendScanner
{
    private static ReadOnlySpan<byte> AppendsStart => "{\"generation\":"u8;

    public static List<string> Find(ReadOnlySpan<byte> batch)
    {
        var found = new List<string>();
        var start = 0;
        while (batch[start..].IndexOf(AppendsStart) is var at and >= 0)
        {
            var json = batch[(start + at)..];
            var reader = new Utf8JsonReader(json);
            try
            {
                if (reader.Read() && reader.TrySkip())
                {
                    found.Add(Encoding.UTF8.GetString(json[..(int)reader.BytesConsumed]));
                }
            }
            catch (JsonException)
            {
                // Not one of ours after all.
            }
            start += at + AppendsStart.Length;
        }
        return found;
    }
}
