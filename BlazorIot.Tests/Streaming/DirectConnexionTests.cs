using BlazorIot.Server.Security;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using BlazorIot.Tests.Live;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Streaming;

/// <summary>
/// The original page's <c>GET /connexion</c> on a fresh connection is served below the HTTP layer;
/// every request it must not take still reaches the HTTP layer with the same bytes.
/// </summary>
public sealed class DirectConnexionTests
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
        Assert.Contains("\r\nConnection: close\r\n", head);
        Assert.Contains("\r\nX-Content-Type-Options: nosniff\r\n", head);
        Assert.Contains("\r\nContent-Security-Policy: default-src 'self';", head);
        Assert.DoesNotContain("Transfer-Encoding", head);
        Assert.Equal("retry: 3000", await raw.ReadLineAsync());
        Assert.Equal("", await raw.ReadLineAsync());
        Assert.Matches("""^data: \{"labels":\["[0-9:]{8}"\],"data":\[7\]\}$""", await raw.ReadLineAsync());
        Assert.Equal("", await raw.ReadLineAsync());

        (await client.GetAsync("/luminosity/8")).EnsureSuccessStatusCode();
        Assert.Matches("""^data: \{"labels":\[.*\],"data":\[7,8\]\}$""", await raw.ReadLineAsync());
    }

    [Fact]
    public async Task A_head_split_across_packets_is_served_whichever_path_it_names()
    {
        await using var server = LiveServer.Start();

        using var stream = await RawConnection.OpenAsync(server, "GET /conn");
        await stream.SendAsync("exion HTTP/1.1\r\nHost: lab\r\n\r\n");
        Assert.Contains("\r\nConnection: close\r\n", await stream.ReadHeadAsync());
        Assert.Equal("retry: 3000", await stream.ReadLineAsync());

        using var other = await RawConnection.OpenAsync(server, "GET /conn");
        await other.SendAsync("exion-not HTTP/1.1\r\nHost: lab\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 404 ", await other.ReadHeadAsync());
    }

    [Theory]
    [InlineData("GET /connexion?sensor=luminosity HTTP/1.1\r\nHost: lab\r\n\r\n")]
    [InlineData("GET /Connexion HTTP/1.1\r\nHost: lab\r\n\r\n")]
    [InlineData("GET /connexion HTTP/1.1\r\nHost: lab\r\nOrigin: http://lab.example\r\n\r\n")]
    public async Task Other_forms_of_the_request_still_get_the_stream_through_the_http_layer(string request)
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Cors:Origins:0"] = "http://lab.example" });
        using var raw = await RawConnection.OpenAsync(server, request);

        var head = await raw.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head);
        Assert.Contains("\r\nTransfer-Encoding: chunked\r\n", head);
        if (request.Contains("Origin"))
        {
            Assert.Contains("\r\nAccess-Control-Allow-Origin: http://lab.example\r\n", head);
        }
    }

    [Fact]
    public async Task A_request_without_host_gets_the_http_layers_400()
    {
        await using var server = LiveServer.Start();
        using var raw = await RawConnection.OpenAsync(server, "GET /connexion HTTP/1.1\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400 ", await raw.ReadHeadAsync());
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
    public async Task A_stopping_server_tells_the_page_when_to_come_back()
    {
        var server = LiveServer.Start();
        using var raw = await RawConnection.OpenAsync(server, Request);
        await raw.ReadHeadAsync();
        Assert.Equal("retry: 3000", await raw.ReadLineAsync());
        Assert.Equal("", await raw.ReadLineAsync());

        await server.DisposeAsync();

        Assert.Equal(": server stopping", await raw.ReadLineAsync());
        Assert.Equal("retry: 3000", await raw.ReadLineAsync());
    }

    [Fact]
    public async Task A_connection_that_never_sends_a_request_is_closed_after_the_keep_alive_timeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = LiveServer.Start(time);
        using var raw = await RawConnection.OpenAsync(server, "");
        var closed = raw.ReadToEndAsync();

        // Ten seconds of the server's clock per step: the connection is closed, but not before the
        // keep-alive timeout has passed (however late the server took it up).
        var advanced = TimeSpan.Zero;
        await Eventually.TrueAsync(() =>
        {
            if (closed.IsCompleted)
            {
                return true;
            }
            time.Advance(TimeSpan.FromSeconds(10));
            advanced += TimeSpan.FromSeconds(10);
            return false;
        }, "the idle connection is closed");

        Assert.True(advanced >= server.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.KeepAliveTimeout, $"closed after {advanced}");
        Assert.Equal("", await closed.WaitAsync(Eventually.DefaultTimeout));
    }

    [Fact]
    public async Task A_page_that_stops_reading_is_dropped_and_a_page_that_reads_keeps_its_stream()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = LiveServer.Start(time);
        // Takes at most a few kB: the server's sends to it soon have to wait.
        using var stalled = await RawConnection.OpenAsync(server, Request, receiveBuffer: 1024);
        using var reading = await RawConnection.OpenAsync(server, Request);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", await reading.ReadHeadAsync());
        using var stop = new CancellationTokenSource();
        var lines = 0;
        var drain = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && await reading.ReadLineAsync() is not null)
            {
                Interlocked.Increment(ref lines);
            }
        });
        var hub = server.Hub;
        await Eventually.TrueAsync(() => hub.StreamCount == 2, "both pages are streaming");

        // Snapshots as fast as the pages' writers take them, and a clock that keeps passing the
        // stalled timeout: once a send to the stalled page has to wait, that page is cut off.
        var publishing = Task.Run(async () =>
        {
            for (var value = 1e15; hub.StreamCount == 2 && !stop.IsCancellationRequested; value++)
            {
                hub.Publish(SensorId.Legacy, value, time.GetUtcNow());
                await Task.Yield();
            }
        });
        await Eventually.TrueAsync(() =>
        {
            time.Advance(TimeSpan.FromSeconds(31));
            return hub.StreamCount == 1;
        }, "the page that stopped reading is dropped");
        await publishing;

        var before = Volatile.Read(ref lines);
        hub.Publish(SensorId.Legacy, hub.LastSequence, time.GetUtcNow());
        await Eventually.TrueAsync(() => Volatile.Read(ref lines) > before, "the reading page still gets new snapshots");
        Assert.Equal(1, hub.StreamCount);
        await stop.CancelAsync();
    }
}
