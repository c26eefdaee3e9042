using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using BlazorIot.Tests.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BlazorIot.Tests.Streaming;

/// <summary>
/// <c>/api/stream</c> over each store provider: SQLite (<see cref="SqliteReadingStreamTests"/>) and
/// PostgreSQL, where every reading reaches the hub through the instance's feed (<see cref="PostgresReadingStreamTests"/>).
/// </summary>
public abstract class ReadingStreamContract : StoreProviderTests
{
    [SkippableFact]
    public async Task Sends_one_reading_event_per_reading_with_its_sequence_id_for_the_asked_sensors()
    {
        await using var server = await StartAsync();
        using var client = server.CreateNetworkClient();
        await using var stream = await SseProbe.ConnectAsync(client, "/api/stream?sensor=a&sensor=c");
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);

        var ids = await PostAsync(client, ("a", 1), ("b", 2), ("c", 3));

        var first = await stream.NextItemAsync();
        Assert.Equal("reading", first.EventType);
        Assert.Equal(ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture), first.EventId);
        var reading = JsonSerializer.Deserialize<Reading>(first.Data)!;
        Assert.Equal(("a", 1.0, ids[0]), (reading.Sensor, reading.Value, reading.Sequence));
        Assert.Equal(ids[2], Read(await stream.NextItemAsync()).Sequence);
    }

    [SkippableFact]
    public async Task Resuming_with_last_event_id_replays_exactly_the_missed_readings_in_order_then_goes_live()
    {
        await using var server = await StartAsync();
        using var client = server.CreateNetworkClient();
        await PostAsync(client, ("s", 0));
        string lastSeen;
        await using (var stream = await SseProbe.ConnectAsync(client, "/api/stream"))
        {
            await PostAsync(client, ("s", 1), ("s", 2));
            Assert.Equal(1, Read(await stream.NextItemAsync()).Value);
            lastSeen = (await stream.NextItemAsync()).EventId!;
        }

        var missed = await PostAsync(client, Enumerable.Range(100, 100).Select(i => ("s", (double)i)).ToArray());
        await using var resumed = await SseProbe.ConnectAsync(client, "/api/stream", lastSeen);
        var replayed = new List<Reading>();
        for (var i = 0; i < 100; i++)
        {
            replayed.Add(Read(await resumed.NextItemAsync()));
        }
        var live = await PostAsync(client, ("s", 7));

        Assert.Equal(missed, replayed.Select(r => r.Sequence));
        Assert.Equal(Enumerable.Range(100, 100).Select(i => (double)i), replayed.Select(r => r.Value));
        Assert.Equal(live[0], Read(await resumed.NextItemAsync()).Sequence);
    }

    [SkippableFact]
    public async Task Switching_from_replay_to_live_under_concurrent_ingest_leaves_no_gap_and_no_duplicate()
    {
        await using var server = await StartAsync();
        using var client = server.CreateNetworkClient();
        var start = (await PostAsync(client, ("s", 0)))[0];
        using var done = new CancellationTokenSource();
        var ingest = Task.Run(async () =>
        {
            var last = start;
            for (var i = 1; i <= 400; i++)
            {
                last = (await PostAsync(client, ("s", i)))[0];
            }
            return last;
        });
        await Eventually.TrueAsync(() => server.Hub.LastSequence >= start + 100, "ingest is under way");

        await using var resumed = await SseProbe.ConnectAsync(client, "/api/stream", start.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var last = await ingest;
        var received = new List<long>();
        while (received.Count == 0 || received[^1] < last)
        {
            received.Add(Read(await resumed.NextItemAsync()).Sequence);
        }

        Assert.Equal(Enumerable.Range(0, 400).Select(i => start + 1 + i), received);
    }

    [SkippableFact]
    public async Task An_id_older_than_what_is_kept_gets_a_reset_then_the_current_window()
    {
        var time = HubFactory.Clock();
        await using var server = await StartAsync(time, new Dictionary<string, string?> { ["Storage:Retention"] = "1.00:00:00" });
        using var client = server.CreateNetworkClient();
        var now = time.GetUtcNow();
        var old = await PostAsync(client, ("s", 1, now.AddDays(-3)), ("s", 2, now.AddDays(-3)));
        var kept = await PostAsync(client, ("s", 3, now), ("s", 4, now));
        await server.Services.GetServices<IHostedService>().OfType<RetentionSweeper>().Single().SweepAsync(CancellationToken.None);

        await using var stream = await SseProbe.ConnectAsync(client, "/api/stream", old[0].ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal("reset", (await stream.NextItemAsync()).EventType);
        // The window still holds what the hub had in memory; the client starts over from it.
        var window = server.Hub.GetWindow("s").Select(r => r.Sequence).ToArray();
        Assert.Contains(kept[1], window);
        foreach (var id in window)
        {
            Assert.Equal(id, Read(await stream.NextItemAsync()).Sequence);
        }
    }

    [SkippableFact]
    public async Task An_id_the_server_never_gave_gets_a_reset_and_a_malformed_one_a_problem()
    {
        await using var server = await StartAsync();
        using var client = server.CreateNetworkClient();
        await PostAsync(client, ("s", 1));

        await using (var stream = await SseProbe.ConnectAsync(client, "/api/stream", "999999"))
        {
            Assert.Equal("reset", (await stream.NextItemAsync()).EventType);
            Assert.Equal(1, Read(await stream.NextItemAsync()).Value);
        }

        using var malformed = await client.GetAsync("/api/stream?lastEventId=abc");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        using var badSensor = await client.GetAsync("/api/stream?sensor=NO");
        Assert.Equal(HttpStatusCode.BadRequest, badSensor.StatusCode);
    }

    [SkippableFact]
    public async Task A_client_that_falls_too_far_behind_is_closed_and_resumes_without_loss()
    {
        await using var server = await StartAsync(settings: new Dictionary<string, string?> { ["Streaming:ReadingQueueCapacity"] = "16" });
        using var client = server.CreateNetworkClient();
        var start = server.Hub.SubscribeReadings(null, TimeSpan.FromSeconds(15), 16);
        using var slow = start.Subscriber;

        var ids = await PostAsync(client, Enumerable.Range(0, 40).Select(i => ("s", (double)i)).ToArray());

        // The hub closed the lagging queue instead of buffering without bound.
        Assert.Null(await slow.NextAsync(CancellationToken.None));
        Assert.True(slow.Overflowed);
        await using var resumed = await SseProbe.ConnectAsync(client, "/api/stream", start.LiveAfter.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var id in ids)
        {
            Assert.Equal(id, Read(await resumed.NextItemAsync()).Sequence);
        }
    }

    private static Reading Read(SseItem<string> item)
    {
        Assert.Equal("reading", item.EventType);
        var reading = JsonSerializer.Deserialize<Reading>(item.Data)!;
        Assert.Equal(item.EventId, reading.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return reading;
    }

    private static Task<IReadOnlyList<long>> PostAsync(HttpClient client, params (string Sensor, double Value)[] readings) =>
        PostAsync(client, readings.Select(r => (r.Sensor, r.Value, (DateTimeOffset?)null)).ToArray());

    private static async Task<IReadOnlyList<long>> PostAsync(HttpClient client, params (string Sensor, double Value, DateTimeOffset? Timestamp)[] readings)
    {
        using var response = await client.PostAsJsonAsync("/api/readings", readings.Select(r => new { sensor = r.Sensor, value = r.Value, timestamp = r.Timestamp }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IngestResult>())!.Ids;
    }
}
