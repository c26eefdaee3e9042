using System.IO.Pipelines;
using System.Text;
using BlazorIot.Server.Streaming;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using BlazorIot.Tests.Live;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BlazorIot.Tests.Streaming;

/// <summary>The direct <c>/connexion</c> handler over in-memory pipes, where the test decides what the client reads.</summary>
public sealed class LegacyStreamConnectionTests
{
    private static readonly TimeSpan StalledTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_page_that_stops_reading_is_dropped_once_a_write_has_waited_the_stalled_timeout()
    {
        var time = HubFactory.Clock();
        var hub = HubFactory.Create(time);
        // The client's side takes at most 1 kB before the server's writes wait.
        var toClient = new Pipe(new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512, useSynchronizationContext: false));
        var fromClient = new Pipe();
        using var lifetime = new Lifetime();
        using var closed = new CancellationTokenSource();
        var connection = new DefaultConnectionContext("stalled", new DuplexPipe(fromClient.Reader, toClient.Writer), new DuplexPipe(toClient.Reader, fromClient.Writer))
        {
            ConnectionClosed = closed.Token,
        };
        var passedOn = false;
        var handler = new LegacyStreamConnection(_ => { passedOn = true; return Task.CompletedTask; }, hub,
            Options.Create(new StreamingOptions { StalledClientTimeout = StalledTimeout }), lifetime, time, new KestrelServerLimits());

        await fromClient.Writer.WriteAsync(Encoding.ASCII.GetBytes("GET /connexion HTTP/1.1\r\nHost: lab\r\n\r\n"));
        var serving = handler.OnConnectedAsync(connection);
        await Eventually.TrueAsync(() => hub.StreamCount == 1, "the stream is open");
        await Eventually.TrueAsync(() =>
        {
            hub.Publish(SensorId.Legacy, hub.LastSequence, time.GetUtcNow());
            return Unread(toClient.Reader) >= 1024;
        }, "the page's side of the connection is full");
        Assert.False(serving.IsCompleted);
        time.Advance(StalledTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal(1, hub.StreamCount);

        time.Advance(TimeSpan.FromSeconds(2));

        await serving.WaitAsync(Eventually.DefaultTimeout);
        Assert.Equal(0, hub.StreamCount);
        Assert.False(passedOn);
    }

    private static long Unread(PipeReader reader)
    {
        if (!reader.TryRead(out var read))
        {
            return 0;
        }
        var length = read.Buffer.Length;
        reader.AdvanceTo(read.Buffer.Start);
        return length;
    }

    private sealed class Lifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => stopping.Cancel();

        public void Dispose() => stopping.Dispose();
    }
}
