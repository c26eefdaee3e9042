using System.Text;
using BlazorIot.Server.Hosting;
using BlazorIot.Server.Ingest;

namespace BlazorIot.Tests.Ingest;

public sealed class LegacyIngestRequestTests
{
    [Theory]
    [InlineData("GET /luminosity/412 HTTP/1.1\r\nHost: lab\r\n\r\n", 412, false)]
    [InlineData("GET /luminosity/-36 HTTP/1.1\r\nHost: lab\r\nConnection: keep-alive, Close\r\n\r\n", -36, true)]
    [InlineData("GET /luminosity/7 HTTP/1.0\r\nHost: serveur.iot.com\r\n\r\n", 7, true)]
    [InlineData("GET /luminosity/7 HTTP/1.0\r\n\r\n", 7, true)]
    public void Takes_the_original_devices_write_with_its_value(string head, long value, bool close)
    {
        Assert.Equal(HeadVerdict.Claim, LegacyIngestRequest.Examine(Encoding.ASCII.GetBytes(head), out var taken));
        Assert.Equal(new LegacyIngestHead(value, head.Length, close), taken);
    }

    [Theory]
    [InlineData("GET /lumin", "NeedMore")]
    [InlineData("GET /luminosity/41", "NeedMore")]
    [InlineData("GET /luminosity/412 HTTP/1.1\r\nHost: la", "NeedMore")]
    [InlineData("GET /luminosity/+5 HTTP/1.1\r\nHost: lab\r\n\r\n", "Pass")]
    [InlineData("GET /luminosity/5.5 HTTP/1.1\r\nHost: lab\r\n\r\n", "Pass")]
    [InlineData("GET /luminosity/5?key=abc HTTP/1.1\r\nHost: lab\r\n\r\n", "Pass")]
    [InlineData("GET /luminosity/99999999999999999999 HTTP/1.1\r\nHost: lab\r\n\r\n", "Pass")]
    [InlineData("GET /luminosity/- HTTP/1.1\r\nHost: lab\r\n\r\n", "Pass")]
    [InlineData("GET /luminosity/5 HTTP/2.0\r\nHost: lab\r\n\r\n", "Pass")]
    [InlineData("POST /luminosity/5 HTTP/1.1\r\nHost: lab\r\n\r\n", "Pass")]
    [InlineData("GET /luminosity/5 HTTP/1.1\r\n\r\n", "Pass")]
    [InlineData("GET /luminosity/5 HTTP/1.1\r\nHost: lab\r\nX-Api-Key: k\r\n\r\n", "Pass")]
    [InlineData("GET /luminosity/5 HTTP/1.1\r\nHost: lab\r\nAuthorization: Bearer k\r\n\r\n", "Pass")]
    [InlineData("GET /luminosity/5 HTTP/1.1\r\nHost: lab\r\nX-Forwarded-For: 10.0.0.9\r\n\r\n", "Pass")]
    [InlineData("GET /luminosity/5 HTTP/1.1\r\nHost: lab\r\nContent-Length: 2\r\n\r\nhi", "Pass")]
    [InlineData("GET /luminosityx/5 HTTP/1.1\r\nHost: lab\r\n\r\n", "Pass")]
    public void Leaves_every_other_form_to_the_http_layer(string head, string expected)
    {
        Assert.Equal(Enum.Parse<HeadVerdict>(expected), LegacyIngestRequest.Examine(Encoding.ASCII.GetBytes(head), out _));
    }
}
