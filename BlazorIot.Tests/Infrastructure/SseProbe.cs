using System.Net.ServerSentEvents;
using System.Threading.Channels;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>A Server-Sent Events client, as EventSource parses the stream, that records every message it receives.</summary>
public sealed class SseProbe : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Channel<string> messages = Channel.CreateUnbounded<string>();
    private readonly Task pump;
    private volatile string? latest;

    private SseProbe(HttpResponseMessage response, Stream body)
    {
        Response = response;
        pump = PumpAsync(body);
    }

    public HttpResponseMessage Response { get; }

    /// <summary>The data of the newest message so far.</summary>
    public string? Latest => latest;

    public static async Task<SseProbe> ConnectAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new SseProbe(response, await response.Content.ReadAsStreamAsync());
    }

    public async Task<string> NextAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Eventually.DefaultTimeout);
        try
        {
            return await messages.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No SSE message arrived in time.");
        }
    }

    private async Task PumpAsync(Stream body)
    {
        try
        {
            await foreach (var item in SseParser.Create(body).EnumerateAsync(stop.Token))
            {
                latest = item.Data;
                messages.Writer.TryWrite(item.Data);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Closed by DisposeAsync or by the server.
        }
        finally
        {
            messages.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        Response.Dispose();
        await pump;
        stop.Dispose();
    }
}
