using System.Diagnostics;
using System.Net.Http.Json;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Import;

/// <summary>
/// Imports of a million rows, on each provider (<see cref="SqliteLargeImportTests"/>,
/// <see cref="PostgresLargeImportTests"/>): alone, since they measure the process's memory and
/// the ingest's answer times.
/// </summary>
public abstract class LargeImportContract : StoreProviderTests
{
    private const int Rows = 1_000_000;

    // A million seconds is 11.6 days: all of it inside the default 30 days' retention.
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-12).ToUnixTimeSeconds());

    [SkippableFact]
    public async Task A_million_rows_are_imported_in_flat_server_memory_and_all_stored()
    {
        await using var server = await StartAsync();
        using var client = server.CreateNetworkClient();
        client.Timeout = TimeSpan.FromMinutes(5);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = 0L;
        void Sample() => Interlocked.Exchange(ref peak, Math.Max(Interlocked.Read(ref peak), GC.GetTotalMemory(forceFullCollection: true) - baseline));

        // Live memory (after a full collection) while the file is read, then while it is stored.
        var upload = client.PostAsync("/api/sensors/bulk/import", new GeneratedCsv(Rows, Start, _ =>
        {
            Sample();
            return Task.CompletedTask;
        }));
        // Not more often: a forced full collection stops every thread of this process, the server's too,
        // and beside the rest of the suite it would hold the import back for minutes.
        using (var sampling = new PeriodicTimer(TimeSpan.FromSeconds(2)))
        {
            while (!upload.IsCompleted && await sampling.WaitForNextTickAsync())
            {
                Sample();
            }
        }
        using var response = await upload;

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Equal((Rows, Rows, 0), CsvUpload.Summary(body, "bulk"));
        var sensor = (await client.GetFromJsonAsync<SensorInfo>("/api/sensors/bulk"))!;
        Assert.Equal((Rows, 999.5, Start.AddSeconds(Rows - 1)), (sensor.Count, sensor.LastValue, sensor.LastTimestamp));
        var newest = (await client.GetFromJsonAsync<Reading[]>("/api/sensors/bulk/readings?order=desc&limit=2"))!;
        Assert.Equal([(Rows - 1L, 999.5), (Rows - 2L, 998.5)], newest.Select(r => (r.DeviceId!.Value, r.Value)));
        Assert.True(peak < 24 * 1024 * 1024, $"Server and client together held {peak / 1024 / 1024} MB more while importing {Rows} rows.");
    }

    [SkippableFact]
    public async Task Live_ingest_keeps_answering_while_a_large_import_is_stored()
    {
        await using var server = await StartAsync();
        using var client = server.CreateNetworkClient();
        client.Timeout = TimeSpan.FromMinutes(5);
        using var devices = server.CreateNetworkClient();
        var upload = client.PostAsync("/api/sensors/bulk/import", new GeneratedCsv(Rows, Start));
        await Eventually.TrueAsync(
            async () => upload.IsCompleted || (await devices.GetAsync("/api/sensors/bulk")).IsSuccessStatusCode,
            "the import has stored its first batch", TimeSpan.FromMinutes(2));

        var posted = 0;
        var answeredDuringImport = 0;
        var slowest = TimeSpan.Zero;
        await using var stream = await SseProbe.ConnectAsync(devices, "/api/stream?sensor=live");
        for (; posted < 200 && !upload.IsCompleted; posted++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await devices.PostAsJsonAsync("/api/readings", new { sensor = "live", value = posted });
            response.EnsureSuccessStatusCode();
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            if (!upload.IsCompleted)
            {
                answeredDuringImport++;
            }
        }
        using var imported = await upload;

        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        Assert.True(answeredDuringImport >= 5, $"Only {answeredDuringImport} readings were acknowledged while the import was stored.");
        // A batch holds the write lock for a fraction of a second (under a second on a busy two-core machine); the import, many seconds.
        Assert.True(slowest < TimeSpan.FromSeconds(5), $"A reading waited {slowest.TotalMilliseconds:0} ms during the import.");
        Assert.Equal(posted, (await devices.GetFromJsonAsync<SensorInfo>("/api/sensors/live"))!.Count);
        // Published live as they were stored: the stream got every one, and nothing of the import.
        for (var i = 0; i < posted; i++)
        {
            var item = await stream.NextItemAsync();
            Assert.Equal(("reading", (double)i), (item.EventType, System.Text.Json.JsonSerializer.Deserialize<Reading>(item.Data)!.Value));
        }
        Assert.Equal(Rows, (await devices.GetFromJsonAsync<SensorInfo>("/api/sensors/bulk"))!.Count);
    }
}
