using System.Diagnostics;
using System.Text;
using BlazorIot.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorIot.Tests.Hosting;

/// <summary>
/// Raw-socket tests of Kestrel's answers to clients that send odd or broken HTTP/1.x, on the three
/// routes devices and pages use: the original device's <c>GET /luminosity/5</c>, the original
/// page's <c>GET /connexion</c> and the JSON <c>POST /api/readings</c>. One server is shared by the
/// tests that leave it as they found it; the others start their own.
/// </summary>
public sealed class OddClientTests(LiveServerFixture fixture) : IClassFixture<LiveServerFixture>
{
    private const string Legacy = "GET /luminosity/5";
    private const string Stream = "GET /connexion";
    private const string Post = "POST /api/readings";
    private const string Json = """{"sensor":"luminosity","value":5}""";

    private LiveServer Server => fixture.Server;

    /// <summary>
    /// The request with that line: the given header lines, then for a POST its JSON type, length
    /// and body. <paramref name="eol"/> ends every line of the head.
    /// </summary>
    private static string Request(string line, string headers = "Host: lab\r\n", string version = "HTTP/1.1", string eol = "\r\n")
    {
        var head = new StringBuilder($"{line} {version}{eol}");
        head.Append(headers.Replace("\r\n", eol, StringComparison.Ordinal));
        var post = line.StartsWith("POST ", StringComparison.Ordinal);
        if (post)
        {
            head.Append($"Content-Type: application/json{eol}Content-Length: {Json.Length}{eol}");
        }
        head.Append(eol);
        return post ? head + Json : head.ToString();
    }

    /// <summary>The route's normal answer: an empty 200, the event stream, or the stored reading.</summary>
    private static async Task AssertServedAsync(string line, RawConnection raw)
    {
        if (line == Stream)
        {
            var head = await raw.ReadHeadAsync();
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", head);
            Assert.Equal("text/event-stream", RawConnection.Header(head, "Content-Type"));
            Assert.Equal("retry: 3000", await raw.ReadChunkedLineAsync());
            return;
        }
        var answer = await raw.ReadMessageAsync();
        Assert.Equal(200, answer.Status);
        if (line == Legacy)
        {
            Assert.Equal("0", answer.Header("Content-Length"));
        }
        else
        {
            Assert.Contains("\"stored\":1,", answer.Body);
        }
    }

    /// <summary>A Kestrel refusal: the status with an empty body, <c>Connection: close</c>, then the close.</summary>
    private static async Task AssertRefusedAsync(int status, RawConnection raw)
    {
        var answer = await raw.ReadMessageAsync();
        Assert.Equal(status, answer.Status);
        Assert.Equal("0", answer.Header("Content-Length"));
        Assert.True(answer.Closes, answer.Head);
        Assert.Equal("", await raw.ReadToEndAsync());
    }

    [Theory]
    [InlineData(Legacy)]
    [InlineData(Stream)]
    [InlineData(Post)]
    public async Task A_head_trickled_a_byte_at_a_time_gets_408_and_the_close_at_the_request_headers_timeout(string line)
    {
        await using var server = LiveServer.Start();
        // Kestrel's timeouts run on its own heartbeat and the system clock, not on the server's
        // TimeProvider, and the server sets its 15 s in code: shorten the limit on the running
        // server's options, which Kestrel reads for every new connection.
        var timeout = TimeSpan.FromSeconds(1);
        server.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.RequestHeadersTimeout = timeout;
        var request = Request(line);
        var head = request[..(request.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)];
        using var raw = await RawConnection.OpenAsync(server, "");
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        // A byte every 200 ms: the shortest head here would take 7.8 s to arrive whole.
        var trickle = Task.Run(async () =>
        {
            var sent = 0;
            try
            {
                for (; sent < head.Length && !stop.IsCancellationRequested; sent++)
                {
                    await raw.SendAsync(head[sent].ToString());
                    await Task.Delay(200, stop.Token);
                }
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException)
            {
                // The server closed the connection, or the answer came.
            }
            return sent;
        });

        var answer = await raw.ReadMessageAsync();
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        var sent = await trickle;

        Assert.Equal(408, answer.Status);
        Assert.True(answer.Closes, answer.Head);
        Assert.Equal("", await raw.ReadToEndAsync());
        Assert.True(sent < head.Length, $"the whole head ({head.Length} bytes) went out before the answer");
        Assert.True(elapsed >= timeout, $"answered after {elapsed}");
    }

    [Theory]
    [InlineData(Legacy)]
    [InlineData(Stream)]
    [InlineData(Post)]
    public async Task Bare_lf_line_endings_are_accepted_and_served(string line)
    {
        // Kestrel takes a lone LF as a line end unless KestrelServerOptions.DisableHttp1LineFeedTerminators is set.
        using var raw = await RawConnection.OpenAsync(Server, Request(line, eol: "\n"));

        await AssertServedAsync(line, raw);
    }

    [Theory]
    [InlineData(Legacy)]
    [InlineData(Stream)]
    [InlineData(Post)]
    public async Task Two_hundred_header_lines_get_431_and_the_close(string line)
    {
        // Beyond the server's MaxRequestHeaderCount (64).
        var headers = "Host: lab\r\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"X-Line-{i}: {i}\r\n"));
        using var raw = await RawConnection.OpenAsync(Server, Request(line, headers));

        await AssertRefusedAsync(431, raw);
    }

    [Theory]
    [InlineData(Legacy)]
    [InlineData(Stream)]
    [InlineData(Post)]
    public async Task A_100_kb_header_gets_431_and_the_close(string line)
    {
        // Beyond the server's MaxRequestHeadersTotalSize (32 kB).
        using var raw = await RawConnection.OpenAsync(Server, Request(line, $"Host: lab\r\nX-Big: {new string('a', 100 * 1024)}\r\n"));

        await AssertRefusedAsync(431, raw);
    }

    [Theory]
    [InlineData(Legacy)]
    [InlineData(Stream)]
    [InlineData(Post)]
    public async Task A_nul_in_a_header_value_gets_400_and_the_close(string line)
    {
        using var raw = await RawConnection.OpenAsync(Server, Request(line, "Host: lab\r\nX-Note: a\0b\r\n"));

        await AssertRefusedAsync(400, raw);
    }

    [Theory]
    [InlineData(Legacy)]
    [InlineData(Stream)]
    [InlineData(Post)]
    public async Task Two_host_headers_get_400_and_the_close(string line)
    {
        using var raw = await RawConnection.OpenAsync(Server, Request(line, "Host: lab\r\nHost: lab\r\n"));

        await AssertRefusedAsync(400, raw);
    }

    [Theory]
    [InlineData(Legacy, "")]
    [InlineData(Legacy, "0\r\n\r\n")]
    [InlineData(Stream, "")]
    [InlineData(Stream, "0\r\n\r\n")]
    public async Task A_get_saying_transfer_encoding_chunked_is_served_with_or_without_its_empty_body(string line, string body)
    {
        using var raw = await RawConnection.OpenAsync(Server, Request(line, "Host: lab\r\nTransfer-Encoding: chunked\r\n") + body);

        // The endpoints never read a GET's body: the answer does not wait for it.
        await AssertServedAsync(line, raw);
    }

    [Fact]
    public async Task After_a_get_saying_transfer_encoding_chunked_the_next_bytes_are_its_body()
    {
        const string Chunked = "GET /luminosity/5 HTTP/1.1\r\nHost: lab\r\nTransfer-Encoding: chunked\r\n\r\n";
        const string Next = "GET /luminosity/6 HTTP/1.1\r\nHost: lab\r\n\r\n";

        // With its empty chunked body sent, the connection serves the next request.
        using var whole = await RawConnection.OpenAsync(Server, Chunked + "0\r\n\r\n");
        await AssertServedAsync(Legacy, whole);
        await whole.SendAsync(Next);
        await AssertServedAsync(Legacy, whole);

        // Without it, the next request is read as that body, not a chunk: Kestrel closes the connection without a word.
        using var bodiless = await RawConnection.OpenAsync(Server, Chunked);
        await AssertServedAsync(Legacy, bodiless);
        await bodiless.SendAsync(Next);
        Assert.Equal("", await bodiless.ReadToEndAsync());
    }

    [Fact]
    public async Task A_post_with_a_chunked_body_is_stored()
    {
        var request = $"POST /api/readings HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + $"{Json.Length - 10:x}\r\n{Json[..^10]}\r\n{10:x}\r\n{Json[^10..]}\r\n0\r\n\r\n";
        using var raw = await RawConnection.OpenAsync(Server, request);

        await AssertServedAsync(Post, raw);
    }

    [Theory]
    [InlineData(Legacy)]
    [InlineData(Stream)]
    [InlineData(Post)]
    public async Task An_absolute_form_target_is_served_and_one_naming_another_host_gets_400(string line)
    {
        var absolute = line.Replace(" /", " http://lab/", StringComparison.Ordinal);
        using var raw = await RawConnection.OpenAsync(Server, Request(absolute));
        await AssertServedAsync(line, raw);

        // Kestrel checks the Host header against the target's authority.
        using var other = await RawConnection.OpenAsync(Server, Request(line.Replace(" /", " http://elsewhere/", StringComparison.Ordinal)));
        await AssertRefusedAsync(400, other);
    }

    [Theory]
    [InlineData(Legacy)]
    [InlineData(Stream)]
    [InlineData(Post)]
    public async Task Http_1_0_without_host_is_served_and_closed(string line)
    {
        using var raw = await RawConnection.OpenAsync(Server, Request(line, headers: "", version: "HTTP/1.0"));

        var head = await raw.ReadHeadAsync();

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head);
        Assert.Equal("close", RawConnection.Header(head, "Connection"));
        // No chunks for HTTP/1.0: a body without a length runs to the close.
        Assert.Null(RawConnection.Header(head, "Transfer-Encoding"));
        if (line == Stream)
        {
            Assert.Null(RawConnection.Header(head, "Content-Length"));
            Assert.Equal("retry: 3000", await raw.ReadLineAsync());
            return;
        }
        var body = await raw.ReadBodyAsync(head);
        Assert.Equal("", await raw.ReadToEndAsync());
        if (line == Legacy)
        {
            Assert.Equal("", body);
        }
        else
        {
            Assert.Contains("\"stored\":1,", body);
        }
    }

    [Theory]
    [InlineData(Legacy, "GET /luminosity/five HTTP/1.1\r\nHost: lab\r\n\r\n")]
    [InlineData(Stream, "GET /connexion?sensor=Not-A-Sensor HTTP/1.1\r\nHost: lab\r\n\r\n")]
    [InlineData(Post, "POST /api/readings HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]")]
    public async Task Two_requests_pipelined_in_one_packet_are_both_answered_in_order(string line, string refused)
    {
        // The endpoint's 400 first, then the route's normal answer.
        using var raw = await RawConnection.OpenAsync(Server, refused + Request(line));

        var first = await raw.ReadMessageAsync();
        Assert.Equal(400, first.Status);
        Assert.Contains("application/problem+json", first.Head);
        Assert.False(first.Closes);
        await AssertServedAsync(line, raw);
    }

    [Fact]
    public async Task Two_pipelined_writes_sent_as_the_server_stops_are_each_answered_refused_or_left_unprocessed_for_a_safe_retry()
    {
        var path = LiveServer.NewDatabasePath();
        try
        {
            var server = LiveServer.Start(databasePath: path);
            using var raw = await RawConnection.OpenAsync(server, "GET /luminosity/1 HTTP/1.1\r\nHost: lab\r\n\r\nGET /luminosity/2 HTTP/1.1\r\nHost: lab\r\n\r\n");
            var stopping = server.DisposeAsync().AsTask();

            // A reset instead of a close fails here (IOException), as would an answer that never comes.
            var first = await raw.ReadMessageAsync();
            var second = first.Status == 0 || first.Closes ? null : await raw.ReadMessageAsync();
            var rest = await raw.ReadToEndAsync();
            await stopping.WaitAsync(TimeSpan.FromSeconds(10));

            // A write that reached the endpoint is stored (200) or finds the store already stopped (503);
            // a request left unanswered must have been refused by Connection: close on the answer before.
            if (first.Status != 0)
            {
                Assert.Contains(first.Status, new[] { 200, 503 });
            }
            if (second is not null)
            {
                Assert.True(second.Status != 0, $"the second request was dropped after an answer without Connection: close:\r\n{first.Head}");
                Assert.Contains(second.Status, new[] { 200, 503 });
            }
            Assert.Equal("", rest);

            // Kestrel's graceful stop ends every connection at its next request boundary: when the
            // stop reaches the connection before the bytes sent have reached its parser, it closes
            // the connection with neither request answered, as HTTP/1.1 lets a server close an idle
            // connection (RFC 9112 section 9.3.2). That is safe only if the client's retry cannot
            // store a reading twice: a request without an answer must not have been processed.
            var answered = new[] { first, second }.Where(m => m is { Status: 200 }).Count();
            await using var restarted = LiveServer.Start(databasePath: path);
            using var client = restarted.CreateNetworkClient();
            using var stored = await client.GetAsync("/api/sensors/luminosity/readings");
            var count = stored.StatusCode == System.Net.HttpStatusCode.NotFound
                ? 0
                : System.Text.Json.JsonDocument.Parse(await stored.Content.ReadAsStringAsync()).RootElement.GetArrayLength();
            Assert.Equal(answered, count);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
