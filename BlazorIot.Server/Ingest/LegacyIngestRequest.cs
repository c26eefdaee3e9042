using System.Buffers;
using System.Buffers.Text;
using BlazorIot.Server.Hosting;

namespace BlazorIot.Server.Ingest;

/// <summary>
/// Recognises the original device's write, <c>GET /luminosity/{integer} HTTP/1.0</c> (MicroPython's
/// urequests) or <c>HTTP/1.1</c>, in its plain form (<see cref="PlainRequestHead"/>), and reads its value.
/// </summary>
internal static class LegacyIngestRequest
{
    private static ReadOnlySpan<byte> Prefix => "GET /luminosity/"u8;

    /// <summary>Longest "-9223372036854775808 HTTP/1.1\r\n" after the prefix.</summary>
    private const int MaxLineRest = 20 + 11;

    public static HeadVerdict Examine(ReadOnlySequence<byte> buffer, out LegacyIngestHead head) =>
        Examine(buffer.IsSingleSegment && buffer.Length <= PlainRequestHead.MaxLength ? buffer.FirstSpan : PlainRequestHead.FirstBytes(buffer, stackalloc byte[PlainRequestHead.MaxLength]), out head);

    public static HeadVerdict Examine(ReadOnlySpan<byte> bytes, out LegacyIngestHead head)
    {
        head = default;
        if (bytes.Length <= Prefix.Length)
        {
            return Prefix.StartsWith(bytes) ? HeadVerdict.NeedMore : HeadVerdict.Pass;
        }
        if (!bytes.StartsWith(Prefix))
        {
            return HeadVerdict.Pass;
        }
        var rest = bytes[Prefix.Length..];
        var lineEnd = rest.IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            return rest.Length < MaxLineRest ? HeadVerdict.NeedMore : HeadVerdict.Pass;
        }
        var line = rest[..lineEnd];
        var space = line.IndexOf((byte)' ');
        // The original route matched -?\d+ exactly: no '+', no spaces, no decimal point, no query.
        if (space <= 0 || !IsInteger(line[..space]) || !Utf8Parser.TryParse(line[..space], out long value, out var used) || used != space)
        {
            return HeadVerdict.Pass;
        }
        var version = line[(space + 1)..];
        var http10 = version.SequenceEqual("HTTP/1.0"u8);
        if (!http10 && !version.SequenceEqual("HTTP/1.1"u8))
        {
            return HeadVerdict.Pass;
        }
        var verdict = PlainRequestHead.CheckFields(bytes, Prefix.Length + lineEnd + 2, hostRequired: !http10, out var length, out var close);
        if (verdict == HeadVerdict.Claim)
        {
            // HTTP/1.0 closes after one answer unless it asks otherwise; we answer and close.
            head = new LegacyIngestHead(value, length, close || http10);
        }
        return verdict;
    }

    private static bool IsInteger(ReadOnlySpan<byte> text)
    {
        var digits = text.Length > 0 && text[0] == (byte)'-' ? text[1..] : text;
        return !digits.IsEmpty && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }
}
