using System.Buffers;
using System.Text;

namespace BlazorIot.Server.Streaming;

/// <summary>
/// Recognises, from the first bytes of a new connection, the one request the original page makes
/// to stream: <c>GET /connexion HTTP/1.1</c>, same-origin, with a <c>Host</c> and nothing unusual.
/// Anything else, or anything it is unsure of, is left to Kestrel's HTTP layer.
/// </summary>
internal static class LegacyStreamRequest
{
    /// <summary>A head longer than this goes to the HTTP layer, whose own limits then apply.</summary>
    public const int MaxHeadLength = 8 * 1024;

    private static ReadOnlySpan<byte> RequestLine => "GET /connexion HTTP/1.1\r\n"u8;

    public enum Verdict
    {
        /// <summary>Not this request (or not certainly): the HTTP layer serves it.</summary>
        Pass,

        /// <summary>A prefix of this request so far: wait for more bytes.</summary>
        NeedMore,

        /// <summary>This request, whole: the head is <c>headLength</c> bytes long.</summary>
        Claim,
    }

    public static Verdict Examine(ReadOnlySequence<byte> buffer, out int headLength)
    {
        headLength = 0;
        if (buffer.Length > MaxHeadLength)
        {
            buffer = buffer.Slice(0, MaxHeadLength);
        }
        if (buffer.IsSingleSegment)
        {
            return Examine(buffer.FirstSpan, out headLength);
        }
        // Rare: the head arrived split across the transport's blocks.
        Span<byte> joined = stackalloc byte[(int)buffer.Length];
        buffer.CopyTo(joined);
        return Examine(joined, out headLength);
    }

    public static Verdict Examine(ReadOnlySpan<byte> head, out int headLength)
    {
        headLength = 0;
        if (head.Length < RequestLine.Length)
        {
            return RequestLine.StartsWith(head) ? Verdict.NeedMore : Verdict.Pass;
        }
        if (!head.StartsWith(RequestLine))
        {
            return Verdict.Pass;
        }
        var end = head.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return head.Length >= MaxHeadLength ? Verdict.Pass : Verdict.NeedMore;
        }
        var hasHost = false;
        var fields = head[RequestLine.Length..(end + 2)];
        while (!fields.IsEmpty)
        {
            var lineEnd = fields.IndexOf("\r\n"u8);
            var line = fields[..lineEnd];
            fields = fields[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            // Folded lines, bare CR or LF and fields without a name are the HTTP layer's to refuse.
            if (colon <= 0 || line[0] is (byte)' ' or (byte)'\t' || line.IndexOfAny((byte)'\r', (byte)'\n') >= 0)
            {
                return Verdict.Pass;
            }
            var name = line[..colon];
            if (name.IndexOfAny((byte)' ', (byte)'\t') >= 0)
            {
                return Verdict.Pass;
            }
            if (Ascii.EqualsIgnoreCase(name, "Host"u8))
            {
                if (hasHost)
                {
                    return Verdict.Pass;
                }
                hasHost = true;
            }
            // Cross-origin requests need CORS; upgrades, bodies and sign-in cookies need the HTTP layer.
            else if (Ascii.EqualsIgnoreCase(name, "Origin"u8)
                || Ascii.EqualsIgnoreCase(name, "Upgrade"u8)
                || Ascii.EqualsIgnoreCase(name, "Content-Length"u8)
                || Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8)
                || Ascii.EqualsIgnoreCase(name, "Expect"u8))
            {
                return Verdict.Pass;
            }
        }
        if (!hasHost)
        {
            return Verdict.Pass;
        }
        headLength = end + 4;
        return Verdict.Claim;
    }
}
