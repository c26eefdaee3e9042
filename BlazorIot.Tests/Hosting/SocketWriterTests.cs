using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BlazorIot.Server.Hosting;
using BlazorIot.Tests.Infrastructure;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace BlazorIot.Tests.Hosting;

/// <summary>The direct handlers' writer into Kestrel's socket, against a real loopback peer.</summary>
public sealed class SocketWriterTests : IDisposable
{
    private readonly Socket server;
    private readonly Socket peer;
    private readonly DefaultConnectionContext connection;
    private readonly Pipe transportOutput = new();

    public SocketWriterTests()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        peer.Connect(listener.LocalEndPoint!);
        server = listener.Accept();
        connection = InMemory("socket", transportOutput);
        connection.Features.Set<IConnectionSocketFeature>(new SocketFeature(server));
    }

    [Fact]
    public async Task Buffered_bytes_and_a_written_frame_reach_the_client_in_order_and_nothing_goes_through_the_transport_pipe()
    {
        var writer = SocketWriter.For(connection);
        Assert.NotSame(connection.Transport.Output, writer);

        Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\n\r\n", writer.GetSpan(64));
        writer.Advance(19);
        Assert.Equal(19, writer.UnflushedBytes);
        var first = await writer.WriteAsync("retry: 3000\n\n"u8.ToArray());
        var second = await writer.WriteAsync("data: 7\n\n"u8.ToArray());

        Assert.False(first.IsCanceled || second.IsCanceled);
        Assert.Equal(0, writer.UnflushedBytes);
        Assert.Equal("HTTP/1.1 200 OK\r\n\r\nretry: 3000\n\ndata: 7\n\n", await ReceiveAsync(19 + 13 + 9));
        Assert.False(transportOutput.Reader.TryRead(out _));
    }

    [Fact]
    public void With_tls_or_without_a_socket_the_transport_output_is_the_writer()
    {
        connection.Features.Set<ITlsConnectionFeature>(new Tls());
        Assert.Same(connection.Transport.Output, SocketWriter.For(connection));

        var inMemory = InMemory("pipes", new Pipe());
        Assert.Same(inMemory.Transport.Output, SocketWriter.For(inMemory));
    }

    [Fact]
    public async Task A_cancelled_flush_keeps_its_bytes_for_the_next_one()
    {
        var writer = SocketWriter.For(connection);

        writer.CancelPendingFlush();
        var cancelled = await writer.WriteAsync("data: 1\n\n"u8.ToArray());
        var next = await writer.WriteAsync("data: 2\n\n"u8.ToArray());

        Assert.True(cancelled.IsCanceled);
        Assert.False(next.IsCanceled);
        Assert.Equal("data: 1\n\ndata: 2\n\n", await ReceiveAsync(18));
    }

    [Fact]
    public async Task A_send_waiting_on_a_client_that_stopped_reading_ends_with_the_callers_token_or_cancel_pending_flush()
    {
        var writer = SocketWriter.For(connection);

        var waiting = await FillUntilASendWaitsAsync(writer, CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        writer.CancelPendingFlush();
        Assert.True((await waiting.AsTask().WaitAsync(Eventually.DefaultTimeout)).IsCanceled);

        using var caller = new CancellationTokenSource();
        waiting = await FillUntilASendWaitsAsync(writer, caller.Token);
        await caller.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.AsTask().WaitAsync(Eventually.DefaultTimeout));
    }

    [Fact]
    public async Task A_completed_writer_takes_no_more_writes_and_leaves_the_connection_to_kestrel()
    {
        var writer = SocketWriter.For(connection);
        await writer.WriteAsync("data: 1\n\n"u8.ToArray());

        await writer.CompleteAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.WriteAsync("data: 2\n\n"u8.ToArray()));
        Assert.Equal("data: 1\n\n", await ReceiveAsync(9));
        Assert.True(server.Connected);
        Assert.Equal(3, await server.SendAsync("ok\n"u8.ToArray(), SocketFlags.None));
    }

    [Fact]
    public async Task A_client_that_reset_the_connection_is_reported_as_kestrel_reports_it()
    {
        var writer = SocketWriter.For(connection);
        peer.LingerState = new LingerOption(true, 0);
        peer.Close();

        var failure = await Record.ExceptionAsync(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await writer.WriteAsync(new byte[1024]);
            }
        });

        Assert.IsType<ConnectionResetException>(failure);
    }

    /// <summary>Writes 64 kB frames to the client that reads nothing until one has to wait; returns that one.</summary>
    private static async Task<ValueTask<FlushResult>> FillUntilASendWaitsAsync(PipeWriter writer, CancellationToken cancellationToken)
    {
        var frame = new byte[64 * 1024];
        for (var i = 0; i < 2048; i++)
        {
            var write = writer.WriteAsync(frame, cancellationToken);
            if (!write.IsCompleted)
            {
                return write;
            }
            await write;
        }
        throw new InvalidOperationException("128 MB went out without a send waiting.");
    }

    private async Task<string> ReceiveAsync(int length)
    {
        var received = new byte[length];
        var at = 0;
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        while (at < length)
        {
            var read = await peer.ReceiveAsync(received.AsMemory(at), SocketFlags.None, timeout.Token);
            Assert.NotEqual(0, read);
            at += read;
        }
        return Encoding.ASCII.GetString(received);
    }

    /// <summary>A connection whose transport output is <paramref name="output"/>, with no socket.</summary>
    private static DefaultConnectionContext InMemory(string id, Pipe output) =>
        new(id, new DuplexPipe(new Pipe().Reader, output.Writer), new DuplexPipe(output.Reader, new Pipe().Writer));

    public void Dispose()
    {
        peer.Dispose();
        server.Dispose();
    }

    private sealed class SocketFeature(Socket socket) : IConnectionSocketFeature
    {
        public Socket Socket { get; } = socket;
    }

    private sealed class Tls : ITlsConnectionFeature
    {
        public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate { get; set; }

        public Task<System.Security.Cryptography.X509Certificates.X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) =>
            Task.FromResult(ClientCertificate);
    }
}
