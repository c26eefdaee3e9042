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
}
