using System.Diagnostics;
using BlazorIot.Server.Security;
using BlazorIot.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorIot.Tests.Streaming;

/// <summary>
/// Raw-socket tests of what the original page sees through Kestrel on <c>GET /connexion</c>: the
/// response head as sent, then the event stream in Kestrel's chunked framing, decoded chunk by chunk.
/// </summary>
public sealed class ConnexionWireTests
{
    private const string Request = "GET /connexion HTTP/1.1\r\nHost: lab\r\nAccept: text/event-stream\r\n\r\n";

    [Fact]
    public async Task The_original_pages_request_gets_the_stream_with_the_security_headers_and_every_new_snapshot()
    {
        await using var server = LiveServer.Start();
        using var client = server.CreateNetworkClient();
        (await client.GetAsync("/luminosity/7")).EnsureSuccessStatusCode();
        using var raw = await RawConnection.OpenAsync(server, Request);

        var head = await raw.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head);
        Assert.Contains("\r\nContent-Type: text/event-stream\r\n", head);
        Assert.Contains("\r\nX-Content-Type-Options: nosniff\r\n", head);
        Assert.Contains("\r\nContent-Security-Policy: default-src 'self';", head);
        // An endless body on HTTP/1.1: Kestrel frames it in chunks, and keeps the connection.
        Assert.Contains("\r\nTransfer-Encoding: chunked\r\n", head);
        Assert.DoesNotContain("Content-Length", head);
        Assert.DoesNotContain("Connection: close", head);
        Assert.Equal("retry: 3000", await raw.ReadChunkedLineAsync());
        Assert.Equal("", await raw.ReadChunkedLineAsync());
        Assert.Matches("""^data: \{"labels":\["[0-9:]{8}"\],"data":\[7\]\}$""", await raw.ReadChunkedLineAsync());
        Assert.Equal("", await raw.ReadChunkedLineAsync());

        (await client.GetAsync("/luminosity/8")).EnsureSuccessStatusCode();
        Assert.Matches("""^data: \{"labels":\[.*\],"data":\[7,8\]\}$""", await raw.ReadChunkedLineAsync());
    }

    [Fact]
    public async Task A_head_split_across_packets_is_served_whichever_path_it_names()
    {
        await using var server = LiveServer.Start();

        using var stream = await RawConnection.OpenAsync(server, "GET /conn");
        await stream.SendAsync("exion HTTP/1.1\r\nHost: lab\r\n\r\n");
        var head = await stream.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head);
        Assert.Contains("\r\nContent-Type: text/event-stream\r\n", head);
        Assert.Equal("retry: 3000", await stream.ReadChunkedLineAsync());

        using var other = await RawConnection.OpenAsync(server, "GET /conn");
        await other.SendAsync("exion-not HTTP/1.1\r\nHost: lab\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 404 ", await other.ReadHeadAsync());
    }

    [Fact]
    public async Task A_request_without_host_gets_kestrels_400()
    {
        await using var server = LiveServer.Start();
        using var raw = await RawConnection.OpenAsync(server, "GET /connexion HTTP/1.1\r\n\r\n");

        var answer = await raw.ReadMessageAsync();

        Assert.StartsWith("HTTP/1.1 400 ", answer.Head);
        Assert.True(answer.Closes);
    }

    [Fact]
    public async Task With_viewer_sign_in_the_stream_stays_behind_it()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?>
        {
            ["Dashboard:Password"] = "open sesame",
        });
        Assert.True(ViewerSignIn.IsEnabled(server.Services.GetRequiredService<IConfiguration>()));
        using var raw = await RawConnection.OpenAsync(server, Request);

        Assert.StartsWith("HTTP/1.1 401 ", await raw.ReadHeadAsync());
    }

    [Fact]
    public async Task At_the_stream_limit_a_new_page_gets_503_with_retry_after()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Streaming:MaxSubscribers"] = "1" });
        using var first = await RawConnection.OpenAsync(server, Request);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", await first.ReadHeadAsync());

        using var second = await RawConnection.OpenAsync(server, Request);
        var head = await second.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 503 ", head);
        Assert.Contains("\r\nRetry-After: 5\r\n", head);
    }

    [Fact]
    public async Task A_stopping_server_tells_the_page_when_to_come_back_and_ends_the_stream()
    {
        var server = LiveServer.Start();
        using var raw = await RawConnection.OpenAsync(server, Request);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", await raw.ReadHeadAsync());
        Assert.Equal("retry: 3000", await raw.ReadChunkedLineAsync());
        Assert.Equal("", await raw.ReadChunkedLineAsync());

        await server.DisposeAsync();

        Assert.Equal(": server stopping", await raw.ReadChunkedLineAsync());
        Assert.Equal("retry: 3000", await raw.ReadChunkedLineAsync());
        Assert.Equal("", await raw.ReadChunkedLineAsync());
        Assert.Null(await raw.ReadChunkedLineAsync());
        Assert.True(raw.LastChunkRead, "the stream ends with its last chunk, not a bare close");
        Assert.Equal("", await raw.ReadToEndAsync());
    }

    [Fact]
    public async Task A_connection_that_never_sends_a_request_is_closed_after_the_keep_alive_timeout()
    {
        await using var server = LiveServer.Start();
        // Kestrel's timeouts run on its own heartbeat and the system clock, not on the server's
        // TimeProvider, and the server sets its two minutes in code: shorten the limit on the
        // running server's options, which Kestrel reads for every new connection.
        var keepAlive = TimeSpan.FromSeconds(2);
        server.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.KeepAliveTimeout = keepAlive;
        var clock = Stopwatch.StartNew();
        using var raw = await RawConnection.OpenAsync(server, "");

        var closed = await raw.ReadToEndAsync();

        Assert.Equal("", closed);
        Assert.True(clock.Elapsed >= keepAlive, $"closed after {clock.Elapsed}");
    }
}
