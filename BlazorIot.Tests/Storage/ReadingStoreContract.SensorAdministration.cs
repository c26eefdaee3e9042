using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorIot.Server.Alerts;
using BlazorIot.Server.Ingest;
using BlazorIot.Server.Live;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using BlazorIot.Tests.Live;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Storage;

/// <summary>Describing, renaming and deleting sensors, on each store provider.</summary>
public abstract partial class ReadingStoreContract
{
    [SkippableFact]
    public async Task Describing_a_sensor_replaces_its_name_unit_decimals_and_description_and_the_list_shows_them()
    {
        await using var server = await StartAsync();
        using var client = server.CreateNetworkClient();
        await server.Services.GetRequiredService<ReadingIngest>().AcceptAsync(new ReadingInput("temp", 21.5), CancellationToken.None);
        var changes = new ConcurrentQueue<SensorChange>();
        using var watch = server.Hub.SubscribeChanges(changes.Enqueue);

        using var put = await client.PutAsJsonAsync("/api/sensors/temp", new { name = "Greenhouse", unit = "°C", decimals = 1, description = "North wall,\r\nin the shade." });
        var described = (await put.Content.ReadFromJsonAsync<SensorInfo>())!;
        var listed = Assert.Single((await client.GetFromJsonAsync<SensorInfo[]>("/api/sensors"))!);
        using var replace = await client.PutAsJsonAsync("/api/sensors/temp", new { unit = "K" });
        var replaced = (await client.GetFromJsonAsync<SensorInfo>("/api/sensors/temp"))!;

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(("Greenhouse", "°C", 1, "North wall,\nin the shade.", 1L, 21.5), (described.Name, described.Unit, described.Decimals, described.Description, described.Count, described.LastValue));
        Assert.Equal(described, listed);
        Assert.Contains(changes, change => change is { Kind: SensorChangeKind.Described, Sensor: "temp" } && change.Info == described);
        Assert.Equal(HttpStatusCode.OK, replace.StatusCode);
        Assert.Equal(((string?)null, "K", (int?)null, (string?)null, 1L), (replaced.Name, replaced.Unit, replaced.Decimals, replaced.Description, replaced.Count));
    }

    [SkippableFact]
    public async Task Renaming_moves_readings_thresholds_alerts_and_description_and_a_later_reading_of_the_old_id_starts_it_anew()
    {
        var time = HubFactory.Clock();
        await using var server = await StartAsync(time);
        using var client = server.CreateNetworkClient();
        var ingest = server.Services.GetRequiredService<ReadingIngest>();
        var monitor = server.Services.GetRequiredService<AlertMonitor>();
        var limits = new Thresholds(null, 30, 1);
        (await client.PutAsJsonAsync("/api/sensors/old/thresholds", limits)).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync("/api/sensors/old", new { name = "Boiler", unit = "°C", decimals = 2, description = "Cellar" })).EnsureSuccessStatusCode();
        var now = time.GetUtcNow();
        var stored = await ingest.AcceptAsync([new("old", 20, now.AddSeconds(-3), 1), new("old", 35, now.AddSeconds(-2), 2), new("old", 36, now.AddSeconds(-1), 3)], CancellationToken.None);
        var opened = await OneAlertAsync(client, "old");

        using var rename = await client.PostAsJsonAsync("/api/sensors/old/rename", new { to = "new" });

        Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        var renamed = (await rename.Content.ReadFromJsonAsync<SensorInfo>())!;
        Assert.Equal(new SensorInfo("new", "Boiler", "°C", 3, 36, now.AddSeconds(-1)) { Decimals = 2, Description = "Cellar", RenamedFrom = "old" }, renamed);
        Assert.Equal(renamed, Assert.Single((await client.GetFromJsonAsync<SensorInfo[]>("/api/sensors"))!));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/sensors/old")).StatusCode);
        var moved = (await client.GetFromJsonAsync<Reading[]>("/api/sensors/new/readings"))!;
        Assert.Equal(stored.Ids, moved.Select(r => r.Sequence));
        Assert.Equal([1L, 2, 3], moved.Select(r => r.DeviceId!.Value));
        Assert.Equal(limits, await client.GetFromJsonAsync<Thresholds>("/api/sensors/new/thresholds"));
        Assert.Equal(Thresholds.None, await client.GetFromJsonAsync<Thresholds>("/api/sensors/old/thresholds"));
        Assert.Equal(opened with { Sensor = "new" }, Assert.Single((await client.GetFromJsonAsync<Alert[]>("/api/sensors/new/alerts"))!));
        Assert.Empty((await client.GetFromJsonAsync<Alert[]>("/api/sensors/old/alerts"))!);
        Assert.Equal(opened.Id, monitor.ActiveAlertOf("new")?.Id);
        Assert.Null(monitor.ActiveAlertOf("old"));
        Assert.Equal(stored.Ids, server.Hub.GetWindow("new").Select(r => r.Sequence));
        Assert.Empty(server.Hub.GetWindow("old"));

        // The alert goes on under the new id, and ends there.
        await ingest.AcceptAsync(new ReadingInput("new", 20, now), CancellationToken.None);
        await Eventually.TrueAsync(async () => (await client.GetFromJsonAsync<Alert[]>("/api/sensors/new/alerts")) is [{ Ended: not null }], "the moved alert ends");

        // The old id again: a new sensor, even with a device id the moved readings have.
        var again = await ingest.AcceptAsync(new ReadingInput("old", 5, now, 1), CancellationToken.None);
        Assert.Equal(1, again.Stored);
        var reborn = (await client.GetFromJsonAsync<SensorInfo>("/api/sensors/old"))!;
        Assert.Equal(("old", (string?)null, 1L, (double?)5), (reborn.Id, reborn.Name, reborn.Count, reborn.LastValue));
        Assert.Equal(4, (await client.GetFromJsonAsync<SensorInfo>("/api/sensors/new"))!.Count);
    }

    [SkippableFact]
    public async Task Renaming_onto_an_existing_sensor_needs_a_merge_which_adds_the_histories_up_without_duplicate_device_ids()
    {
        var time = HubFactory.Clock();
        await using var server = await StartAsync(time);
        using var client = server.CreateNetworkClient();
        var ingest = server.Services.GetRequiredService<ReadingIngest>();
        var monitor = server.Services.GetRequiredService<AlertMonitor>();
        var now = time.GetUtcNow();
        // a: device ids 1-5, its newest reading (id 3) the newest of all; in alert above 3.
        (await client.PutAsJsonAsync("/api/sensors/a/thresholds", new Thresholds(null, 3, 0))).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync("/api/sensors/a", new { name = "From a", unit = "K", decimals = 1, description = "a's" })).EnsureSuccessStatusCode();
        int[] ageOfA = [50, 40, 0, 30, 20];
        var ofA = await ingest.AcceptAsync([.. Enumerable.Range(1, 5).Select(i => new ReadingInput("a", i, now.AddSeconds(-ageOfA[i - 1]), i))], CancellationToken.None);
        // b: device ids 4-8 (at other times than a's), a's reading 1 itself, a unit and decimals of its own, no thresholds.
        (await client.PutAsJsonAsync("/api/sensors/b", new { unit = "°C", decimals = 3 })).EnsureSuccessStatusCode();
        await ingest.AcceptAsync([.. Enumerable.Range(4, 5).Select(i => new ReadingInput("b", 100 + i, now.AddSeconds(-10 + i), i))], CancellationToken.None);
        var shared = await ingest.AcceptAsync(new ReadingInput("b", 1, now.AddSeconds(-50), 1), CancellationToken.None);
        var alertOfA = await OneAlertAsync(client, "a");

        using var refused = await client.PostAsJsonAsync("/api/sensors/a/rename", new { to = "b" });
        using var merged = await client.PostAsJsonAsync("/api/sensors/a/rename", new { to = "b", merge = true });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("\"merge\": true", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        var b = (await merged.Content.ReadFromJsonAsync<SensorInfo>())!;
        // a's reading 1 was b's already: kept once. a's 4 and 5 are other readings than b's 4 and 5: kept, without their device ids.
        Assert.Equal(new SensorInfo("b", "From a", "°C", 10, 3, now) { Decimals = 3, Description = "a's", RenamedFrom = "a" }, b);
        var readings = (await client.GetFromJsonAsync<Reading[]>("/api/sensors/b/readings"))!.OrderBy(r => r.DeviceId ?? 0).ThenBy(r => r.Value).ToArray();
        Assert.Equal([null, null, 1L, 2, 3, 4, 5, 6, 7, 8], readings.Select(r => r.DeviceId));
        Assert.Equal([4.0, 5, 1, 2, 3, 104, 105, 106, 107, 108], readings.Select(r => r.Value));
        Assert.Equal(shared.Ids[0], readings[2].Sequence);
        // The id a's copy of reading 1 leaves empty counts as removed: a stream resuming below it starts over.
        Assert.True(await server.Services.GetRequiredService<ReadingStore>().RetentionHorizonAsync(CancellationToken.None) >= ofA.Ids[0]);
        Assert.Equal(10, await StoreRows.CountAsync(server, "SELECT COUNT(*) FROM readings WHERE sensor IN ('a', 'b')"));
        Assert.Equal(new Thresholds(null, 3, 0), await client.GetFromJsonAsync<Thresholds>("/api/sensors/b/thresholds"));
        Assert.Equal(alertOfA with { Sensor = "b" }, Assert.Single((await client.GetFromJsonAsync<Alert[]>("/api/sensors/b/alerts"))!));

        // c, also in alert, merged into b: b keeps its thresholds and its open alert; c's is closed.
        (await client.PutAsJsonAsync("/api/sensors/c/thresholds", new Thresholds(null, 50, 0))).EnsureSuccessStatusCode();
        await ingest.AcceptAsync(new ReadingInput("c", 60, now.AddSeconds(-1), 9), CancellationToken.None);
        var alertOfC = await OneAlertAsync(client, "c");
        using var second = await client.PostAsJsonAsync("/api/sensors/c/rename", new { to = "b", merge = true });

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var both = (await second.Content.ReadFromJsonAsync<SensorInfo>())!;
        Assert.Equal((11L, (double?)3), (both.Count, both.LastValue));
        Assert.Equal(new Thresholds(null, 3, 0), await client.GetFromJsonAsync<Thresholds>("/api/sensors/b/thresholds"));
        var alerts = (await client.GetFromJsonAsync<Alert[]>("/api/sensors/b/alerts"))!;
        Assert.Equal([alertOfA.Id, alertOfC.Id], alerts.Select(a => a.Id).Order());
        Assert.Equal(alertOfA.Id, Assert.Single(alerts, a => a.Ended is null).Id);
        Assert.Equal(alertOfA.Id, monitor.ActiveAlertOf("b")?.Id);
        Assert.Null(monitor.ActiveAlertOf("c"));
    }

    [SkippableFact]
    public async Task Renaming_onto_a_deleted_id_removes_its_hidden_readings_first_and_the_old_ids_hidden_readings_stay_behind()
    {
        await using var server = await StartAsync(HubFactory.Clock());
        using var client = server.CreateNetworkClient();
        var ingest = server.Services.GetRequiredService<ReadingIngest>();
        var store = server.Services.GetRequiredService<ReadingStore>();
        var removals = server.Services.GetRequiredService<SensorRemovalSweeper>();
        await removals.FirstSweep;
        // Deleted in the store itself, so that no sweep starts: the readings stay hidden, not removed.
        await ingest.AcceptAsync([new("x", 1, null, 1), new("x", 2, null, 2), new("x", 3, null, 3)], CancellationToken.None);
        Assert.True(await store.DeleteSensorAsync("x", CancellationToken.None));
        var y = await ingest.AcceptAsync([new("y", 11, null, 1), new("y", 12, null, 2), new("y", 13, null, 3)], CancellationToken.None);

        using var onto = await client.PostAsJsonAsync("/api/sensors/y/rename", new { to = "x" });

        Assert.Equal(HttpStatusCode.OK, onto.StatusCode);
        Assert.Equal(y.Ids, (await client.GetFromJsonAsync<Reading[]>("/api/sensors/x/readings"))!.Select(r => r.Sequence));
        Assert.Equal(3, await StoreRows.ReadingsAsync(server, "x"));
        Assert.Equal(0, await StoreRows.PendingRemovalsAsync(server));

        // z deleted, then heard from again (one device id the same as a hidden reading's): only what is visible moves.
        await ingest.AcceptAsync([new("z", 1, null, 1), new("z", 2, null, 2)], CancellationToken.None);
        Assert.True(await store.DeleteSensorAsync("z", CancellationToken.None));
        var fresh = await ingest.AcceptAsync([new("z", 100, null, 1), new("z", 101, null, 3)], CancellationToken.None);
        Assert.Equal(2, fresh.Stored);
        using var away = await client.PostAsJsonAsync("/api/sensors/z/rename", new { to = "w" });

        Assert.Equal(HttpStatusCode.OK, away.StatusCode);
        Assert.Equal(2, (await away.Content.ReadFromJsonAsync<SensorInfo>())!.Count);
        Assert.Equal(new[] { 100.0, 101 }, await Values(store, "w"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/sensors/z")).StatusCode);
        Assert.Equal(1, await StoreRows.ReadingsAsync(server, "z"));
        Assert.Equal(new[] { "z" }, await store.PendingRemovalsAsync(CancellationToken.None));
        Assert.Equal(1, await removals.SweepAsync(CancellationToken.None));
        Assert.Equal(0, await StoreRows.ReadingsAsync(server, "z"));
        Assert.Equal(0, await StoreRows.PendingRemovalsAsync(server));
    }

    [SkippableFact]
    public async Task Deleting_hides_the_readings_at_once_from_every_read_and_a_reading_after_it_starts_the_sensor_anew()
    {
        var time = HubFactory.Clock();
        await using var server = await StartAsync(time, new Dictionary<string, string?> { ["Storage:RetentionBatch"] = "10" });
        using var client = server.CreateNetworkClient();
        var ingest = server.Services.GetRequiredService<ReadingIngest>();
        var store = server.Services.GetRequiredService<ReadingStore>();
        await server.Services.GetRequiredService<SensorRemovalSweeper>().FirstSweep;
        var now = time.GetUtcNow();
        var hour = now.AddHours(-1);
        await ingest.AcceptAsync([.. Enumerable.Range(0, 25).Select(i => new ReadingInput("gone", i, hour.AddMinutes(i), i))], CancellationToken.None);
        await ingest.AcceptAsync(new ReadingInput("kept", 1, now), CancellationToken.None);
        (await client.PutAsJsonAsync("/api/sensors/gone", new { name = "Gone", description = "Deleted soon" })).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync("/api/sensors/gone/thresholds", new Thresholds(null, 1000, 0))).EnsureSuccessStatusCode();

        var cut = await store.LastSequenceAsync(CancellationToken.None);
        Assert.True(await store.DeleteSensorAsync("gone", CancellationToken.None));

        Assert.Equal(["kept"], (await client.GetFromJsonAsync<SensorInfo[]>("/api/sensors"))!.Select(s => s.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/sensors/gone/readings")).StatusCode);
        Assert.DoesNotContain(await store.LoadRecentAsync(100, CancellationToken.None), r => r.Sensor == "gone");
        Assert.Equal(cut, await store.RetentionHorizonAsync(CancellationToken.None));
        Assert.Equal(25, await StoreRows.ReadingsAsync(server, "gone"));

        // A reading after the deletion (with a device id a hidden one has) starts the sensor with only itself.
        var after = await ingest.AcceptAsync(new ReadingInput("gone", 99, hour.AddMinutes(30), 3), CancellationToken.None);
        Assert.Equal(1, after.Stored);
        var reborn = (await client.GetFromJsonAsync<SensorInfo>("/api/sensors/gone"))!;
        Assert.Equal(new SensorInfo("gone", null, null, 1, 99, hour.AddMinutes(30)), reborn);
        Assert.Equal(Thresholds.None, await server.Services.GetRequiredService<AlertStore>().GetThresholdsAsync("gone", CancellationToken.None));
        Assert.Equal(after.Ids, (await client.GetFromJsonAsync<Reading[]>("/api/sensors/gone/readings"))!.Select(r => r.Sequence));
        var csv = (await client.GetStringAsync("/api/sensors/gone/readings?format=csv")).TrimEnd('\n').Split('\n');
        Assert.Equal(2, csv.Length);
        Assert.StartsWith($"{after.Ids[0]},gone,", csv[1], StringComparison.Ordinal);
        var buckets = (await client.GetFromJsonAsync<AggregateBucket[]>(
            $"/api/sensors/gone/aggregates?from={hour.ToUnixTimeSeconds()}&to={now.ToUnixTimeSeconds()}&bucket=1h"))!;
        var bucket = DateTimeOffset.FromUnixTimeMilliseconds(hour.AddMinutes(30).ToUnixTimeMilliseconds() / 3_600_000 * 3_600_000);
        Assert.Equal(new AggregateBucket(bucket, 99, 99, 99, 1), Assert.Single(buckets));
        Assert.Equal(new[] { 99.0 }, await Values(store, "gone"));

        // The hidden rows go batch by batch (one already went: the new reading took its device id); then the removal is done.
        Assert.Equal(10, await store.RemoveDeletedReadingsAsync("gone", 10, CancellationToken.None));
        Assert.Equal(10, await store.RemoveDeletedReadingsAsync("gone", 10, CancellationToken.None));
        Assert.Equal(1, await StoreRows.PendingRemovalsAsync(server));
        Assert.Equal(4, await store.RemoveDeletedReadingsAsync("gone", 10, CancellationToken.None));
        Assert.Equal(1, await StoreRows.ReadingsAsync(server, "gone"));
        Assert.Equal(0, await StoreRows.PendingRemovalsAsync(server));
        Assert.Equal(1, (await client.GetFromJsonAsync<SensorInfo>("/api/sensors/gone"))!.Count);
    }

    [SkippableFact]
    public async Task A_large_deletion_is_removed_in_the_background_batch_by_batch_while_ingest_keeps_answering()
    {
        const int Readings = 50_000;
        await using var server = await StartAsync(settings: new Dictionary<string, string?> { ["Storage:RetentionBatch"] = "100" });
        using var client = server.CreateNetworkClient();
        var writer = server.Services.GetRequiredService<IReadingWriter>();
        var ingest = server.Services.GetRequiredService<ReadingIngest>();
        var now = DateTimeOffset.UtcNow;
        for (var chunk = 0; chunk < Readings; chunk += 5_000)
        {
            await writer.WriteAsync([.. Enumerable.Range(chunk, 5_000).Select(i => new NewReading("big", i, now.AddMilliseconds(-i), now, null))], CancellationToken.None);
        }
        var midway = new List<long>();
        var answered = 0;

        using var delete = await client.DeleteAsync("/api/sensors/big");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.DoesNotContain((await client.GetFromJsonAsync<SensorInfo[]>("/api/sensors"))!, s => s.Id == "big");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            await ingest.AcceptAsync(new ReadingInput("other", answered), deadline.Token);
            answered++;
            var left = await StoreRows.ReadingsAsync(server, "big");
            if (left is > 0 and < Readings)
            {
                midway.Add(left);
            }
            if (left == 0 && await StoreRows.PendingRemovalsAsync(server) == 0)
            {
                break;
            }
            Assert.False(deadline.IsCancellationRequested, $"the deleted readings were not removed in time ({left} left)");
        }
        // Ingest answered again and again while the removal was part-way: it went in batches, and ingest
        // did not wait for all of them (nor sleep through them: SQLite's busy wait alone would starve it).
        Assert.True(midway.Count >= 5, $"only {midway.Count} ingests were answered while the removal was under way");
        Assert.Equal(answered, (await client.GetFromJsonAsync<SensorInfo>("/api/sensors/other"))!.Count);
    }

    /// <summary>The sensor's one alert, once the log holds it.</summary>
    private static async Task<Alert> OneAlertAsync(HttpClient client, string sensor)
    {
        Alert[] alerts = [];
        await Eventually.TrueAsync(async () => (alerts = (await client.GetFromJsonAsync<Alert[]>($"/api/sensors/{sensor}/alerts"))!).Length == 1, $"{sensor}'s alert is logged");
        return alerts[0];
    }
}
