using System.Net.ServerSentEvents;
using System.Threading.Channels;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>A Server-Sent Events client, as EventSource parses the stream, that records every message it receives.</summary>
public sealed class SseProbe : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Channel<string> messages = Channel.CreateUnbounded<string>();
    private readonly Channel<SseItem<string>> items = Channel.CreateUnbounded<SseItem<string>>();
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

    public static async Task<SseProbe> ConnectAsync(HttpClient client, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
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

    /// <summary>The next message with its event type and id.</summary>
    public async Task<SseItem<string>> NextItemAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Eventually.DefaultTimeout);
        try
        {
            return await items.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No SSE message arrived in time.");
        }
    }

    /// <summary>True once the server has ended the stream.</summary>
    public bool Ended => items.Reader.Completion.IsCompleted;

    private async Task PumpAsync(Stream body)
    {
        try
        {
            await foreach (var item in SseParser.Create(body).EnumerateAsync(stop.Token))
            {
                latest = item.Data;
                messages.Writer.TryWrite(item.Data);
                items.Writer.TryWrite(item);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Closed by DisposeAsync or by the server.
        }
        finally
        {
            messages.Writer.TryComplete();
            items.Writer.TryComplete();
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
