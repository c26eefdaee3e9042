using System.Net.Http.Json;
using System.Text;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BlazorIot.Tests.Storage;

public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Stopping_under_ingest_keeps_every_acknowledged_reading_and_tells_streams_when_to_come_back()
    {
        var path = LiveServer.NewDatabasePath();
        try
        {
            var acknowledged = new System.Collections.Concurrent.ConcurrentBag<long>();
            var server = LiveServer.Start(databasePath: path);
            using var client = server.CreateNetworkClient();
            using var stream = await client.GetAsync("/connexion", HttpCompletionOption.ResponseHeadersRead);
            var body = await stream.Content.ReadAsStreamAsync();
            var nextId = 0L;
            var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (true)
                {
                    var ids = Enumerable.Range(0, 5).Select(_ => Interlocked.Increment(ref nextId)).ToArray();
                    try
                    {
                        using var response = await client.PostAsJsonAsync("/api/readings", ids.Select(id => new { sensor = "graceful", value = id, id }));
                        if (!response.IsSuccessStatusCode)
                        {
                            return;
                        }
                        foreach (var id in ids)
                        {
                            acknowledged.Add(id);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                }
            })).ToArray();
            await Eventually.TrueAsync(() => acknowledged.Count >= 500, "ingest is running");

            await server.DisposeAsync();
            await Task.WhenAll(writers);
            using var reader = new StreamReader(body, Encoding.UTF8);
            var tail = await reader.ReadToEndAsync();

            Assert.EndsWith(": server stopping\nretry: 3000\n\n", tail);
            server = LiveServer.Start(databasePath: path);
            using var after = server.CreateNetworkClient();
            var stored = (await after.GetFromJsonAsync<Reading[]>("/api/sensors/graceful/readings?limit=100000"))!;
            Assert.Empty(acknowledged.Except(stored.Select(r => r.DeviceId!.Value)));
            await server.DisposeAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
