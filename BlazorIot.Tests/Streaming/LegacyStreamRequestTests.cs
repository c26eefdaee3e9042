using System.Buffers;
using System.Text;
using BlazorIot.Server.Hosting;
using static BlazorIot.Server.Streaming.LegacyStreamRequest;

namespace BlazorIot.Tests.Streaming;

public sealed class LegacyStreamRequestTests
{
    [Theory]
    [InlineData("GET /connexion HTTP/1.1\r\nHost: lab\r\n\r\n", "Claim")]
    [InlineData("GET /connexion HTTP/1.1\r\nhost: lab\r\nAccept: text/event-stream\r\nCookie: a=b\r\n\r\n", "Claim")]
    [InlineData("GET /conn", "NeedMore")]
    [InlineData("GET /connexion HTTP/1.1\r\nHost: la", "NeedMore")]
    [InlineData("GET /connexion?sensor=a HTTP/1.1\r\nHost: lab\r\n\r\n", "Pass")]
    [InlineData("GET /connexion HTTP/1.0\r\nHost: lab\r\n\r\n", "Pass")]
    [InlineData("HEAD /connexion HTTP/1.1\r\nHost: lab\r\n\r\n", "Pass")]
    [InlineData("GET /luminosity/5 HTTP/1.1\r\nHost: lab\r\n\r\n", "Pass")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "Pass")]
    [InlineData("GET /connexion HTTP/1.1\r\n\r\n", "Pass")]
    [InlineData("GET /connexion HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "Pass")]
    [InlineData("GET /connexion HTTP/1.1\r\nHost: lab\r\nOrigin: http://elsewhere\r\n\r\n", "Pass")]
    [InlineData("GET /connexion HTTP/1.1\r\nHost: lab\r\nContent-Length: 5\r\n\r\nhello", "Pass")]
    [InlineData("GET /connexion HTTP/1.1\r\nHost: lab\r\nTransfer-Encoding: chunked\r\n\r\n", "Pass")]
    [InlineData("GET /connexion HTTP/1.1\r\nHost: lab\r\nUpgrade: websocket\r\n\r\n", "Pass")]
    [InlineData("GET /connexion HTTP/1.1\r\nHost: lab\r\n folded\r\n\r\n", "Pass")]
    [InlineData("GET /connexion HTTP/1.1\r\nHost : lab\r\n\r\n", "Pass")]
    [InlineData("GET /connexion HTTP/1.1\r\nHost: l\nab\r\n\r\n", "Pass")]
    [InlineData("GET /connexion HTTP/1.1\r\nHost: lab\r\nX-Forwarded-For: 10.0.0.9\r\n\r\n", "Pass")]
    [InlineData("GET /connexion HTTP/1.1\r\nHost: lab\r\nAuthorization: Bearer x\r\n\r\n", "Pass")]
    public void Takes_only_the_plain_same_origin_request_and_leaves_the_rest_to_the_http_layer(string head, string expected)
    {
        Assert.Equal(Enum.Parse<HeadVerdict>(expected), Examine(Encoding.ASCII.GetBytes(head), out _));
    }

    [Fact]
    public void A_claimed_head_ends_at_its_blank_line_even_across_blocks()
    {
        const string head = "GET /connexion HTTP/1.1\r\nHost: lab\r\n\r\n";
        var bytes = Encoding.ASCII.GetBytes(head + "GET /next HTTP/1.1\r\n");
        var first = new Segment(bytes.AsMemory(0, 10));
        var last = first.Append(bytes.AsMemory(10));

        Assert.Equal(HeadVerdict.Claim, Examine(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), out var length));
        Assert.Equal(head.Length, length);
    }

    [Fact]
    public void An_over_long_head_goes_to_the_http_layer_and_its_limits()
    {
        var head = "GET /connexion HTTP/1.1\r\nHost: lab\r\nX-Pad: " + new string('a', PlainRequestHead.MaxLength) + "\r\n\r\n";

        Assert.Equal(HeadVerdict.Pass, Examine(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(head)), out _));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
