using System.Net.ServerSentEvents;
using System.Text.Json;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Tests.Scaling;

/// <summary>
/// A client of <c>/api/stream</c> that behaves like EventSource: when the connection drops it
/// comes back (to the same address) with Last-Event-ID, and it logs every reading it receives.
/// </summary>
public sealed class ResumingStream(Uri server, string name) : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly List<Reading> received = [];
    private Task? running;

    public string Name { get; } = name;

    public int Resets { get; private set; }

    public int Reconnects { get; private set; }

    public IReadOnlyList<Reading> Received
    {
        get
        {
            lock (received)
            {
                return [.. received];
            }
        }
    }

    public long LastId
    {
        get
        {
            lock (received)
            {
                return received.Count == 0 ? 0 : received[^1].Sequence;
            }
        }
    }

    public void Start() => running = RunAsync(stop.Token);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/stream");
                // From the very beginning the first time (id 0), from the last id received after.
                request.Headers.Add("Last-Event-ID", LastId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
                {
                    if (item.EventType == "reset")
                    {
                        Resets++;
                    }
                    else if (item.EventType == "reading")
                    {
                        var reading = JsonSerializer.Deserialize<Reading>(item.Data)!;
                        lock (received)
                        {
                            received.Add(reading);
                        }
                    }
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
            Reconnects++;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (running is not null)
        {
            await running;
        }
        stop.Dispose();
    }
}
