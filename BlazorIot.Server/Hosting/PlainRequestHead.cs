using System.Buffers;
using System.Text;

namespace BlazorIot.Server.Hosting;

/// <summary>
/// The header fields of a request that a connection handler may answer below Kestrel's HTTP
/// layer: well formed, one <c>Host</c>, and nothing that needs the HTTP layer (a body, an
/// upgrade, CORS, credentials, a proxy's forwarded address). Anything else is passed on.
/// </summary>
internal static class PlainRequestHead
{
    /// <summary>A head longer than this goes to the HTTP layer, whose own limits then apply.</summary>
    public const int MaxLength = 8 * 1024;

    /// <summary>The head's first bytes (at most <see cref="MaxLength"/>) as one span: the buffer's own when it is one block, else copied into <paramref name="scratch"/>.</summary>
    public static ReadOnlySpan<byte> FirstBytes(ReadOnlySequence<byte> buffer, Span<byte> scratch)
    {
        if (buffer.Length > MaxLength)
        {
            buffer = buffer.Slice(0, MaxLength);
        }
        if (buffer.IsSingleSegment)
        {
            return buffer.FirstSpan;
        }
        var joined = scratch[..(int)buffer.Length];
        buffer.CopyTo(joined);
        return joined;
    }

    /// <summary>
    /// Checks the fields after a request line that ended at <paramref name="fieldsStart"/>;
    /// <paramref name="close"/> tells whether the client asked to close after the answer.
    /// </summary>
    public static HeadVerdict CheckFields(ReadOnlySpan<byte> head, int fieldsStart, bool hostRequired, out int headLength, out bool close)
    {
        headLength = 0;
        close = false;
        var end = head.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return head.Length >= MaxLength ? HeadVerdict.Pass : HeadVerdict.NeedMore;
        }
        var hasHost = false;
        var fields = head[fieldsStart..(end + 2)];
        while (!fields.IsEmpty)
        {
            var lineEnd = fields.IndexOf("\r\n"u8);
            var line = fields[..lineEnd];
            fields = fields[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            // Folded lines, bare CR or LF and fields without a name are the HTTP layer's to refuse.
            if (colon <= 0 || line[0] is (byte)' ' or (byte)'\t' || line.IndexOfAny((byte)'\r', (byte)'\n') >= 0)
            {
                return HeadVerdict.Pass;
            }
            var name = line[..colon];
            if (name.IndexOfAny((byte)' ', (byte)'\t') >= 0 || NeedsHttpLayer(name))
            {
                return HeadVerdict.Pass;
            }
            if (Ascii.EqualsIgnoreCase(name, "Host"u8))
            {
                if (hasHost)
                {
                    return HeadVerdict.Pass;
                }
                hasHost = true;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                close |= ContainsToken(line[(colon + 1)..], "close"u8);
            }
        }
        if (hostRequired && !hasHost)
        {
            return HeadVerdict.Pass;
        }
        headLength = end + 4;
        return HeadVerdict.Claim;
    }

    private static bool NeedsHttpLayer(ReadOnlySpan<byte> name) =>
        Ascii.EqualsIgnoreCase(name, "Origin"u8)
        || Ascii.EqualsIgnoreCase(name, "Upgrade"u8)
        || Ascii.EqualsIgnoreCase(name, "Content-Length"u8)
        || Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8)
        || Ascii.EqualsIgnoreCase(name, "Expect"u8)
        || Ascii.EqualsIgnoreCase(name, "Authorization"u8)
        || Ascii.EqualsIgnoreCase(name, "X-Api-Key"u8)
        || Ascii.EqualsIgnoreCase(name, "Forwarded"u8)
        || (name.Length > 12 && Ascii.EqualsIgnoreCase(name[..12], "X-Forwarded-"u8));

    private static bool ContainsToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        foreach (var range in value.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(value[range].Trim(" \t"u8), token))
            {
                return true;
            }
        }
        return false;
    }
}
