using System.Globalization;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Import;

/// <summary>
/// What an import stores, on each provider: SQLite (<see cref="SqliteImportTests"/>) and PostgreSQL
/// (<see cref="PostgresImportTests"/>).
/// </summary>
public abstract class ImportContract : StoreProviderTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds());

    /// <summary>Runs SQL on the server's store (the same text on both providers).</summary>
    protected abstract Task<long> ScalarAsync(LiveServer server, string sql);

    [SkippableFact]
    public async Task Importing_the_same_file_again_stores_nothing_new_with_device_ids_or_without()
    {
        // Small batches: duplicates within a batch and across batches.
        await using var server = await StartAsync(settings: new Dictionary<string, string?> { ["Import:BatchRows"] = "100" });
        using var client = server.CreateNetworkClient();
        var withIds = new StringBuilder("timestamp,value,id\n");
        var withoutIds = new StringBuilder("timestamp,value\n");
        for (var i = 0; i < 250; i++)
        {
            withIds.Append(CultureInfo.InvariantCulture, $"{CsvUpload.Iso(T0.AddSeconds(i))},{i},{i}\n");
            // Rows 100 and 101 at the same time, as an export of readings sent together can hold.
            withoutIds.Append(CultureInfo.InvariantCulture, $"{CsvUpload.Iso(T0.AddSeconds(i == 101 ? 100 : i))},{i}\n");
            if (i == 60)
            {
                withIds.Append(CultureInfo.InvariantCulture, $"{CsvUpload.Iso(T0.AddSeconds(i))},-1,5\n");
            }
        }
        withIds.Append(CultureInfo.InvariantCulture, $"{CsvUpload.Iso(T0.AddSeconds(300))},-1,7\n");

        var first = await CsvUpload.ImportAsync(client, "ids", withIds.ToString());
        var again = await CsvUpload.ImportAsync(client, "ids", withIds.ToString());
        var plainFirst = await CsvUpload.ImportAsync(client, "plain", withoutIds.ToString());
        var plainAgain = await CsvUpload.ImportAsync(client, "plain", withoutIds.ToString());

        Assert.Equal((252, 250, 2), first);
        Assert.Equal((252, 0, 252), again);
        Assert.Equal((250, 250, 0), plainFirst);
        Assert.Equal((250, 0, 250), plainAgain);
        var ids = (await client.GetFromJsonAsync<Reading[]>("/api/sensors/ids/readings?limit=1000"))!;
        Assert.Equal(Enumerable.Range(0, 250).Select(i => (double)i), ids.Select(r => r.Value));
        Assert.Equal(2, (await client.GetFromJsonAsync<Reading[]>($"/api/sensors/plain/readings?from={T0.AddSeconds(100).ToUnixTimeMilliseconds()}&to={T0.AddSeconds(101).ToUnixTimeMilliseconds()}"))!.Length);
        Assert.Equal(250, (await client.GetFromJsonAsync<SensorInfo>("/api/sensors/ids"))!.Count);
        Assert.Equal(250, (await client.GetFromJsonAsync<SensorInfo>("/api/sensors/plain"))!.Count);
        Assert.Equal(500, await ScalarAsync(server, "SELECT COUNT(*) FROM readings WHERE imported IS NOT NULL"));
    }

    [SkippableFact]
    public async Task Our_export_imported_into_a_fresh_server_gives_the_same_readings_counts_and_aggregates()
    {
        await using var source = await StartAsync();
        using var sourceClient = source.CreateNetworkClient();
        var readings = Enumerable.Range(0, 60).Select(i => new
        {
            sensor = "room",
            value = Math.Round(Math.Sin(i) * 100, 3),
            timestamp = T0.AddSeconds(i * 37).ToUnixTimeMilliseconds(),
            id = i % 2 == 0 ? (long?)i : null,
        }).Append(new { sensor = "room", value = 0.1, timestamp = T0.AddSeconds(37).ToUnixTimeMilliseconds(), id = (long?)null });
        (await sourceClient.PostAsJsonAsync("/api/readings", readings)).EnsureSuccessStatusCode();
        var export = await sourceClient.GetStringAsync("/api/sensors/room/readings?format=csv");
        var range = $"from={T0.ToUnixTimeMilliseconds()}&to={T0.AddDays(1).ToUnixTimeMilliseconds()}";

        await using var target = await StartAsync();
        using var targetClient = target.CreateNetworkClient();
        var (rows, stored, duplicates) = await CsvUpload.ImportAsync(targetClient, "room", export);

        Assert.Equal((61, 61, 0), (rows, stored, duplicates));
        var before = (await sourceClient.GetFromJsonAsync<Reading[]>("/api/sensors/room/readings"))!;
        var after = (await targetClient.GetFromJsonAsync<Reading[]>("/api/sensors/room/readings"))!;
        Assert.Equal(before.Select(r => (r.Timestamp, r.Value, r.DeviceId, r.Received)), after.Select(r => (r.Timestamp, r.Value, r.DeviceId, r.Received)));
        var sourceSensor = (await sourceClient.GetFromJsonAsync<SensorInfo>("/api/sensors/room"))!;
        var targetSensor = (await targetClient.GetFromJsonAsync<SensorInfo>("/api/sensors/room"))!;
        Assert.Equal((sourceSensor.Count, sourceSensor.LastValue, sourceSensor.LastTimestamp), (targetSensor.Count, targetSensor.LastValue, targetSensor.LastTimestamp));
        var sourceBuckets = (await sourceClient.GetFromJsonAsync<AggregateBucket[]>($"/api/sensors/room/aggregates?{range}&bucket=5m"))!;
        var targetBuckets = (await targetClient.GetFromJsonAsync<AggregateBucket[]>($"/api/sensors/room/aggregates?{range}&bucket=5m"))!;
        Assert.Equal(61, sourceBuckets.Sum(b => b.Count));
        Assert.Equal(sourceBuckets.Select(b => (b.Start, b.Min, b.Max, b.Count)), targetBuckets.Select(b => (b.Start, b.Min, b.Max, b.Count)));
        // Averages are summed in another row order: equal but for the last bits.
        Assert.All(sourceBuckets.Zip(targetBuckets), pair => Assert.Equal(pair.First.Avg, pair.Second.Avg, 1e-9));
    }

    [SkippableFact]
    public async Task Imported_readings_reach_no_stream_and_a_resume_across_the_import_replays_none()
    {
        await using var server = await StartAsync();
        using var client = server.CreateNetworkClient();
        await using var sensorStream = await SseProbe.ConnectAsync(client, "/api/stream?sensor=s");
        await using var everyStream = await SseProbe.ConnectAsync(client, "/api/stream");
        var first = await PostAsync(client, "s", 1.5);
        Assert.Equal(first, Read(await sensorStream.NextItemAsync()).Sequence);
        Assert.Equal(first, Read(await everyStream.NextItemAsync()).Sequence);
        await using var snapshots = await SseProbe.ConnectAsync(client, "/connexion?sensor=s");
        Assert.Equal(new[] { 1.5 }, Data(await snapshots.NextAsync()));

        var csv = new StringBuilder();
        for (var i = 0; i < 100; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{T0.AddMinutes(i).ToUnixTimeMilliseconds()},{1000 + i}\n");
        }
        Assert.Equal((100, 100, 0), await CsvUpload.ImportAsync(client, "s", csv.ToString()));
        // A stream started over gets the window, imported readings in it, but never an id it could not resume from.
        await using var startedOver = await SseProbe.ConnectAsync(client, "/api/stream?sensor=s", "999999");
        Assert.Equal("reset", (await startedOver.NextItemAsync()).EventType);
        Assert.Equal((first, 1.5), Fields(Read(await startedOver.NextItemAsync())));
        var second = await PostAsync(client, "s", 2.5);
        Assert.Equal((second, 2.5), Fields(Read(await startedOver.NextItemAsync())));

        // The next event of each stream is the live reading that followed the import.
        Assert.Equal((second, 2.5), Fields(Read(await sensorStream.NextItemAsync())));
        Assert.Equal((second, 2.5), Fields(Read(await everyStream.NextItemAsync())));
        // The snapshot after the import's is the live reading's, over the history now stored.
        Assert.Equal(new[] { 1092, 1093, 1094, 1095, 1096, 1097, 1098, 1099, 1.5, 2.5 }, Data(await snapshots.NextAsync()));
        await using var resumed = await SseProbe.ConnectAsync(client, "/api/stream?sensor=s", first.ToString(CultureInfo.InvariantCulture));
        Assert.Equal((second, 2.5), Fields(Read(await resumed.NextItemAsync())));
        var sensor = (await client.GetFromJsonAsync<SensorInfo>("/api/sensors/s"))!;
        Assert.Equal((102, 2.5), (sensor.Count, sensor.LastValue));
    }

    [SkippableFact]
    public async Task An_import_into_a_sensor_being_deleted_first_removes_its_hidden_readings_so_a_round_trip_gives_them_back()
    {
        await using var server = await StartAsync(settings: new Dictionary<string, string?> { ["Import:BatchRows"] = "100" });
        using var client = server.CreateNetworkClient();
        var readings = Enumerable.Range(0, 300).Select(i => new { sensor = "gone", value = (double)i, timestamp = T0.AddSeconds(i).ToUnixTimeMilliseconds(), id = i % 3 == 0 ? (long?)null : i });
        (await client.PostAsJsonAsync("/api/readings", readings)).EnsureSuccessStatusCode();
        var export = await client.GetStringAsync("/api/sensors/gone/readings?format=csv");
        var before = (await client.GetFromJsonAsync<Reading[]>("/api/sensors/gone/readings"))!;
        // What a deletion leaves: the sensor's row gone, its readings up to the cut hidden until swept.
        await ScalarAsync(server, "INSERT INTO sensor_removals (sensor, up_to) VALUES ('gone', (SELECT MAX(seq) FROM readings))");
        await ScalarAsync(server, "DELETE FROM sensors WHERE id = 'gone'");

        var (rows, stored, _) = await CsvUpload.ImportAsync(client, "gone", export);

        Assert.Equal((300, 300), (rows, stored));
        Assert.Equal(0, await ScalarAsync(server, "SELECT COUNT(*) FROM sensor_removals"));
        Assert.Equal(300, await ScalarAsync(server, "SELECT COUNT(*) FROM readings WHERE sensor = 'gone'"));
        var after = (await client.GetFromJsonAsync<Reading[]>("/api/sensors/gone/readings"))!;
        Assert.Equal(before.Select(r => (r.Timestamp, r.Value, r.DeviceId)), after.Select(r => (r.Timestamp, r.Value, r.DeviceId)));
        Assert.Equal(300, (await client.GetFromJsonAsync<SensorInfo>("/api/sensors/gone"))!.Count);
    }

    private static async Task<long> PostAsync(HttpClient client, string sensor, double value)
    {
        using var response = await client.PostAsJsonAsync("/api/readings", new { sensor, value });
        response.EnsureSuccessStatusCode();
        return Assert.Single((await response.Content.ReadFromJsonAsync<IngestResult>())!.Ids);
    }

    private static Reading Read(SseItem<string> item)
    {
        Assert.Equal("reading", item.EventType);
        return JsonSerializer.Deserialize<Reading>(item.Data)!;
    }

    private static (long Sequence, double Value) Fields(Reading reading) => (reading.Sequence, reading.Value);

    private static double[] Data(string snapshot)
    {
        using var json = JsonDocument.Parse(snapshot);
        return [.. json.RootElement.GetProperty("data").EnumerateArray().Select(d => d.GetDouble())];
    }
}
