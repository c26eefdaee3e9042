using System.Buffers;
using BlazorIot.Server.Hosting;

namespace BlazorIot.Server.Streaming;

/// <summary>
/// Recognises the one request the original page makes to stream, <c>GET /connexion HTTP/1.1</c>,
/// in its plain form (<see cref="PlainRequestHead"/>). Anything else, or anything it is unsure
/// of, is left to Kestrel's HTTP layer.
/// </summary>
internal static class LegacyStreamRequest
{
    private static ReadOnlySpan<byte> RequestLine => "GET /connexion HTTP/1.1\r\n"u8;

    public static HeadVerdict Examine(ReadOnlySequence<byte> buffer, out int headLength) =>
        Examine(buffer.IsSingleSegment && buffer.Length <= PlainRequestHead.MaxLength ? buffer.FirstSpan : PlainRequestHead.FirstBytes(buffer, stackalloc byte[PlainRequestHead.MaxLength]), out headLength);

    public static HeadVerdict Examine(ReadOnlySpan<byte> head, out int headLength)
    {
        headLength = 0;
        if (head.Length < RequestLine.Length)
        {
            return RequestLine.StartsWith(head) ? HeadVerdict.NeedMore : HeadVerdict.Pass;
        }
        return head.StartsWith(RequestLine)
            ? PlainRequestHead.CheckFields(head, RequestLine.Length, hostRequired: true, out headLength, out _)
            : HeadVerdict.Pass;
    }
}
