using System.Net.Http.Json;
using BlazorIot.Shared.Legacy;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BlazorIot.Tests.Storage;

public sealed class RestartTests
{
    [Fact]
    public async Task After_a_restart_the_windows_are_back_and_ids_go_on_without_repeating()
    {
        var path = LiveServer.NewDatabasePath();
        try
        {
            long lastId;
            await using (var first = LiveServer.Start(databasePath: path))
            {
                using var client = first.CreateNetworkClient();
                for (var i = 1; i <= 12; i++)
                {
                    (await client.GetAsync($"/luminosity/{i}")).EnsureSuccessStatusCode();
                }
                var posted = await (await client.PostAsJsonAsync("/api/readings", new { sensor = "other", value = 5 })).Content.ReadFromJsonAsync<IngestResult>();
                lastId = posted!.Ids[0];
            }

            await using var second = LiveServer.Start(databasePath: path);
            using var again = second.CreateNetworkClient();

            Assert.Equal(lastId, second.Hub.LastSequence);
            Assert.Equal(Enumerable.Range(3, 10).Select(i => (double)i), second.Hub.GetWindow("luminosity").Select(r => r.Value));
            Assert.Equal([5.0], second.Hub.GetWindow("other").Select(r => r.Value));
            await using (var stream = await SseProbe.ConnectAsync(again, "/connexion"))
            {
                var snapshot = System.Text.Json.JsonSerializer.Deserialize<LegacySnapshot>(await stream.NextAsync());
                Assert.Equal(Enumerable.Range(3, 10).Select(i => (double)i), snapshot!.Data);
            }
            var next = await (await again.PostAsJsonAsync("/api/readings", new { sensor = "other", value = 6 })).Content.ReadFromJsonAsync<IngestResult>();
            Assert.Equal(lastId + 1, next!.Ids[0]);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
