using System.Net.Http.Json;
using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Streaming;

[Collection(IsolatedCollection.Name)]
public sealed class SoakTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Waves = 4;
    private const int ClientsPerWave = 500;

    [Fact]
    public async Task Two_thousand_stream_clients_in_waves_under_ingest_leave_nothing_behind()
    {
        await using var server = LiveServer.Start();
        using var client = server.CreateNetworkClient();
        (await client.GetAsync("/luminosity/1")).EnsureSuccessStatusCode();
        var baselineSubscribers = server.Hub.SubscriberCount;
        var baselineMemory = GC.GetTotalMemory(forceFullCollection: true);
        using var stop = new CancellationTokenSource();
        var ingest = Task.Run(async () =>
        {
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            var i = 0;
            try
            {
                while (await pace.WaitForNextTickAsync(stop.Token))
                {
                    using var response = await client.PostAsJsonAsync("/api/readings", new[] { new { sensor = "luminosity", value = ++i }, new { sensor = "soak", value = i } });
                }
            }
            catch (OperationCanceledException)
            {
                // The soak is over.
            }
        });

        for (var wave = 0; wave < Waves; wave++)
        {
            var streams = await Task.WhenAll(Enumerable.Range(0, ClientsPerWave).Select(n =>
                SseProbe.ConnectAsync(client, n % 2 == 0 ? "/connexion" : "/api/stream?sensor=soak")));
            await Eventually.TrueAsync(() => server.Hub.StreamCount == ClientsPerWave, $"wave {wave} is connected");
            // Every client of the wave hears at least one message while ingest goes on.
            await Task.WhenAll(streams.Select(s => s.NextAsync(TimeSpan.FromSeconds(30))));
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
            await Eventually.TrueAsync(() => server.Hub.StreamCount == 0, $"wave {wave} has left");
        }
        await stop.CancelAsync();
        await ingest;

        Assert.Equal(baselineSubscribers, server.Hub.SubscriberCount);
        var afterMemory = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"managed heap: {baselineMemory / 1024} kB before, {afterMemory / 1024} kB after {Waves * ClientsPerWave} clients");
        Assert.True(afterMemory < baselineMemory + (16 * 1024 * 1024), $"heap grew from {baselineMemory / 1024} kB to {afterMemory / 1024} kB");
    }
}
