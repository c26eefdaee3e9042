using System.Net.Http.Json;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BlazorIot.Tests.Storage;

public sealed class CrashTests
{
    [Fact]
    public async Task A_server_killed_under_ingest_keeps_every_acknowledged_reading_exactly_once()
    {
        var path = LiveServer.NewDatabasePath();
        try
        {
            var acknowledged = new System.Collections.Concurrent.ConcurrentBag<long>();
            var settings = new Dictionary<string, string> { ["Storage:SqlitePath"] = path };
            await using (var server = new ServerProcess(ServerProcess.FreePort(), settings))
            {
                await server.StartAsync();
                using var client = new HttpClient { BaseAddress = server.BaseAddress };
                var nextId = 0L;
                using var stop = new CancellationTokenSource();
                var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        var ids = Enumerable.Range(0, 10).Select(_ => Interlocked.Increment(ref nextId)).ToArray();
                        try
                        {
                            using var response = await client.PostAsJsonAsync("/api/readings", ids.Select(id => new { sensor = "crash", value = id, id }));
                            if (response.IsSuccessStatusCode)
                            {
                                foreach (var id in ids)
                                {
                                    acknowledged.Add(id);
                                }
                            }
                        }
                        catch (HttpRequestException)
                        {
                            return;
                        }
                    }
                })).ToArray();

                await Eventually.TrueAsync(() => acknowledged.Count >= 2_000, "the server has acknowledged a good number of readings", TimeSpan.FromSeconds(60));
                await server.KillAsync();
                await stop.CancelAsync();
                await Task.WhenAll(writers);
            }

            await using var restarted = new ServerProcess(ServerProcess.FreePort(), settings);
            await restarted.StartAsync();
            using var reader = new HttpClient { BaseAddress = restarted.BaseAddress };
            var stored = (await reader.GetFromJsonAsync<Reading[]>("/api/sensors/crash/readings?limit=100000"))!;
            var storedIds = stored.Select(r => r.DeviceId!.Value).ToArray();

            Assert.Empty(acknowledged.Except(storedIds));
            Assert.Equal(storedIds.Length, storedIds.Distinct().Count());
            Assert.Equal(stored.Length, stored.Select(r => r.Sequence).Distinct().Count());
            Assert.All(stored, r => Assert.Equal(r.DeviceId, (long)r.Value));
            var sensor = await reader.GetFromJsonAsync<SensorInfo>("/api/sensors/crash");
            Assert.Equal(stored.Length, sensor!.Count);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
