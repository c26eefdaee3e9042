using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using BlazorIot.Tests.Live;

namespace BlazorIot.Tests.Sensors;

public sealed class SensorApiTests
{
    [Fact]
    public async Task Lists_sensors_with_their_description_count_and_last_reading()
    {
        var time = HubFactory.Clock();
        await using var server = LiveServer.Start(time);
        using var client = server.CreateNetworkClient();
        await client.PostAsJsonAsync("/api/readings", new[] { new { sensor = "temp", value = 20.5 }, new { sensor = "temp", value = 21.0 } });
        (await client.GetAsync("/api/sensors/hum/ingest?value=55")).EnsureSuccessStatusCode();

        using var put = await client.PutAsJsonAsync("/api/sensors/temp", new { name = "Greenhouse <b>temp</b>", unit = "°C" });
        put.EnsureSuccessStatusCode();
        var sensors = (await client.GetFromJsonAsync<SensorInfo[]>("/api/sensors"))!;

        Assert.Equal(
            [new SensorInfo("hum", null, null, 1, 55, time.GetUtcNow()), new SensorInfo("temp", "Greenhouse <b>temp</b>", "°C", 2, 21, time.GetUtcNow())],
            sensors);
        Assert.Equal(sensors[1], await client.GetFromJsonAsync<SensorInfo>("/api/sensors/temp"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/sensors/nope")).StatusCode);
        using var tooLong = await client.PutAsJsonAsync("/api/sensors/temp", new { name = new string('n', 101) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Fact]
    public async Task Returns_readings_in_a_time_range_in_either_order_as_json_or_csv()
    {
        var time = HubFactory.Clock();
        await using var server = LiveServer.Start(time);
        using var client = server.CreateNetworkClient();
        var t0 = time.GetUtcNow().AddMinutes(-10);
        var body = Enumerable.Range(0, 10).Select(i => new { sensor = "s", value = (double)i, timestamp = t0.AddMinutes(i).ToUnixTimeMilliseconds(), id = i });
        (await client.PostAsJsonAsync("/api/readings", body)).EnsureSuccessStatusCode();
        var from = Uri.EscapeDataString(t0.AddMinutes(2).ToString("O"));
        var to = t0.AddMinutes(6).ToUnixTimeSeconds();

        var ascending = (await client.GetFromJsonAsync<Reading[]>($"/api/sensors/s/readings?from={from}&to={to}"))!;
        var newest = await client.GetFromJsonAsync<Reading[]>("/api/sensors/s/readings?order=desc&limit=3");
        var csv = await client.GetStringAsync($"/api/sensors/s/readings?from={from}&to={to}&format=csv");
        using var accept = new HttpRequestMessage(HttpMethod.Get, "/api/sensors/s/readings?limit=1");
        accept.Headers.Accept.ParseAdd("text/csv");
        using var byHeader = await client.SendAsync(accept);

        Assert.Equal([2.0, 3, 4, 5], ascending.Select(r => r.Value));
        Assert.Equal(t0.AddMinutes(2), ascending[0].Timestamp);
        Assert.Equal(2, ascending[0].DeviceId);
        Assert.Equal([9.0, 8, 7], newest!.Select(r => r.Value));
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal("seq,sensor,timestamp,value,received,id", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.Equal($"{ascending[0].Sequence},s,{t0.AddMinutes(2).UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ},2,{time.GetUtcNow().UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ},2", lines[1]);
        Assert.Equal("text/csv", byHeader.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, (await byHeader.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Aggregates_readings_per_bucket()
    {
        var time = HubFactory.Clock();
        await using var server = LiveServer.Start(time);
        using var client = server.CreateNetworkClient();
        var hour = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
        double[] values = [1, 5, 3, 10, 20];
        int[] minutes = [0, 1, 4, 5, 9];
        var body = values.Select((v, i) => new { sensor = "s", value = v, timestamp = hour.AddMinutes(minutes[i]).ToString("O") });
        (await client.PostAsJsonAsync("/api/readings", body)).EnsureSuccessStatusCode();

        var buckets = await client.GetFromJsonAsync<AggregateBucket[]>(
            $"/api/sensors/s/aggregates?from={hour.ToUnixTimeSeconds()}&to={hour.AddHours(1).ToUnixTimeSeconds()}&bucket=5m") ?? [];
        var bySeconds = await client.GetFromJsonAsync<AggregateBucket[]>(
            $"/api/sensors/s/aggregates?from={hour.ToUnixTimeSeconds()}&to={hour.AddHours(1).ToUnixTimeSeconds()}&bucket=3600") ?? [];

        Assert.Equal([new AggregateBucket(hour, 1, 5, 3, 3), new AggregateBucket(hour.AddMinutes(5), 10, 20, 15, 2)], buckets);
        Assert.Equal([new AggregateBucket(hour, 1, 20, 7.8, 5)], bySeconds);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/sensors/s/aggregates?bucket=7x")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/sensors/s/aggregates?from=0&to=2000000000&bucket=1")).StatusCode);
    }

    [Fact]
    public async Task Serves_the_openapi_document_and_an_api_reference_page_that_needs_no_internet()
    {
        await using var server = LiveServer.Start();
        using var client = server.CreateNetworkClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var page = await client.GetStringAsync("/scalar/");

        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/readings", "/api/sensors", "/api/sensors/{id}", "/api/sensors/{id}/readings", "/api/sensors/{id}/aggregates", "/api/sensors/{id}/ingest", "/api/stream" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is in the OpenAPI document");
        }
        Assert.DoesNotContain("https://", page.Replace("https://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("scalar.js", page);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/scalar/scalar.js")).StatusCode);
    }

    [Fact]
    public async Task Describing_checks_every_field_and_names_each_one_that_is_wrong()
    {
        await using var server = LiveServer.Start();
        using var client = server.CreateNetworkClient();

        var tooLong = await ErrorsAsync(client.PutAsJsonAsync("/api/sensors/temp", new
        {
            name = new string('n', 101),
            unit = new string('u', 17),
            decimals = 7,
            description = new string('d', 501),
        }));
        var controls = await ErrorsAsync(client.PutAsJsonAsync("/api/sensors/temp", new
        {
            name = "tab\there",
            unit = "°C\u0001",
            decimals = -1,
            description = "line one\nbell \u0007",
        }));
        var types = await ErrorsAsync(client.PutAsJsonAsync("/api/sensors/temp", new { name = 5, unit = true, decimals = 2.5, description = new[] { "a" } }));
        var decimalsAsText = await ErrorsAsync(client.PutAsJsonAsync("/api/sensors/temp", new { decimals = "2" }));
        var badId = await ErrorsAsync(client.PutAsJsonAsync("/api/sensors/Not-An-Id", new { name = "fine" }));
        using var longest = await client.PutAsJsonAsync("/api/sensors/temp", new
        {
            name = "  Boiler  ",
            unit = new string('u', 16),
            decimals = 6,
            description = "First line\r\n" + new string('d', 488),
        });

        string[] fields = ["decimals", "description", "name", "unit"];
        Assert.Equal(fields, tooLong);
        Assert.Equal(fields, controls);
        Assert.Equal(fields, types);
        Assert.Equal(["decimals"], decimalsAsText);
        Assert.Equal(["id"], badId);
        Assert.Equal(HttpStatusCode.OK, longest.StatusCode);
        var described = (await longest.Content.ReadFromJsonAsync<SensorInfo>())!;
        Assert.Equal(("Boiler", 6, 499), (described.Name, described.Decimals, described.Description!.Length));
        Assert.Equal(described, (await client.GetFromJsonAsync<SensorInfo[]>("/api/sensors"))!.Single());
    }

    [Fact]
    public async Task Renaming_and_deleting_answer_400_for_a_bad_or_unchanged_id_and_404_for_an_unknown_sensor()
    {
        await using var server = LiveServer.Start();
        using var client = server.CreateNetworkClient();
        (await client.PostAsJsonAsync("/api/readings", new { sensor = "a", value = 1 })).EnsureSuccessStatusCode();

        Assert.Equal(["to"], await ErrorsAsync(client.PostAsJsonAsync("/api/sensors/a/rename", new { merge = true })));
        Assert.Equal(["to"], await ErrorsAsync(client.PostAsJsonAsync("/api/sensors/a/rename", new { to = "Not An Id" })));
        Assert.Equal(["to"], await ErrorsAsync(client.PostAsJsonAsync("/api/sensors/a/rename", new { to = "a", merge = true })));
        Assert.Equal(["id"], await ErrorsAsync(client.PostAsJsonAsync("/api/sensors/A/rename", new { to = "b" })));
        using var unknown = await client.PostAsJsonAsync("/api/sensors/nope/rename", new { to = "b" });
        using var deleteUnknown = await client.DeleteAsync("/api/sensors/nope");
        Assert.Equal(["id"], await ErrorsAsync(client.DeleteAsync("/api/sensors/A")));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, deleteUnknown.StatusCode);
        Assert.Equal("application/problem+json", deleteUnknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["a"], (await client.GetFromJsonAsync<SensorInfo[]>("/api/sensors"))!.Select(s => s.Id));
    }

    [Fact]
    public async Task A_rename_ends_the_old_ids_streams_with_a_renamed_event_and_a_stream_of_every_sensor_goes_on()
    {
        await using var server = LiveServer.Start();
        using var client = server.CreateNetworkClient();
        (await client.PostAsJsonAsync("/api/readings", new[] { new { sensor = "old", value = 1 }, new { sensor = "old", value = 2 } })).EnsureSuccessStatusCode();
        await using var readings = await SseProbe.ConnectAsync(client, "/api/stream?sensor=old");
        await using var snapshots = await SseProbe.ConnectAsync(client, "/connexion?sensor=old");
        await using var everything = await SseProbe.ConnectAsync(client, "/api/stream");
        Assert.Equal("""{"labels":""", (await snapshots.NextItemAsync()).Data[..10]);

        (await client.PostAsJsonAsync("/api/sensors/old/rename", new { to = "new" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/readings", new { sensor = "new", value = 3 })).EnsureSuccessStatusCode();

        foreach (var ended in new[] { readings, snapshots })
        {
            var last = await ended.NextItemAsync();
            Assert.Equal(("renamed", """{"sensor":"old","to":"new"}"""), (last.EventType, last.Data));
            await Eventually.TrueAsync(() => ended.Ended, "the old id's stream ends");
        }
        var next = await everything.NextItemAsync();
        Assert.Equal(("reading", "new", 3.0), (next.EventType, Read(next).Sensor, Read(next).Value));
    }

    [Fact]
    public async Task A_delete_ends_the_sensors_streams_with_a_deleted_event_and_a_resume_from_before_it_starts_over()
    {
        await using var server = LiveServer.Start();
        using var client = server.CreateNetworkClient();
        var before = await PostAsync(client, "gone", 1);
        var cut = await PostAsync(client, "kept", 2);
        await using var stream = await SseProbe.ConnectAsync(client, "/api/stream?sensor=gone");

        using var delete = await client.DeleteAsync("/api/sensors/gone");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        var last = await stream.NextItemAsync();
        Assert.Equal(("deleted", """{"sensor":"gone"}"""), (last.EventType, last.Data));
        await Eventually.TrueAsync(() => stream.Ended, "the deleted sensor's stream ends");
        await using (var resumed = await SseProbe.ConnectAsync(client, "/api/stream", before.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            Assert.Equal("reset", (await resumed.NextItemAsync()).EventType);
            Assert.Equal(cut, Read(await resumed.NextItemAsync()).Sequence);
        }
        await using var current = await SseProbe.ConnectAsync(client, "/api/stream", cut.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var after = await PostAsync(client, "gone", 3);
        var item = await current.NextItemAsync();
        Assert.Equal(("reading", after), (item.EventType, Read(item).Sequence));
        Assert.Equal(1, (await client.GetFromJsonAsync<SensorInfo>("/api/sensors/gone"))!.Count);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/sensors/gone")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/sensors/gone")).StatusCode);
    }

    /// <summary>The fields a 400 problem names, in order.</summary>
    private static async Task<string[]> ErrorsAsync(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
    }

    private static async Task<long> PostAsync(HttpClient client, string sensor, double value)
    {
        using var response = await client.PostAsJsonAsync("/api/readings", new { sensor, value });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IngestResult>())!.Ids[0];
    }

    private static Reading Read(System.Net.ServerSentEvents.SseItem<string> item) => JsonSerializer.Deserialize<Reading>(item.Data)!;
}
