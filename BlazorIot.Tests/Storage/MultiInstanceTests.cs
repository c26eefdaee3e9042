using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorIot.Server.Ingest;
using BlazorIot.Server.Storage.Postgres;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BlazorIot.Tests.Storage;

/// <summary>Several server instances on one PostgreSQL database.</summary>
public sealed class MultiInstanceTests
{
    [SkippableFact]
    public async Task A_reading_ingested_on_one_instance_reaches_the_other_and_a_stream_resumes_there_without_gap()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var a = LiveServer.Start(settings: database.Settings);
        await using var b = LiveServer.Start(settings: database.Settings);
        var seenOnB = new ConcurrentQueue<long>();
        using var subscription = b.Hub.SubscribeAll(r => seenOnB.Enqueue(r.Sequence));
        using var clientA = a.CreateNetworkClient();
        using var clientB = b.CreateNetworkClient();

        var ids = await PostAsync(clientA, 50);

        await Eventually.TrueAsync(() => seenOnB.Count == 50, "instance B publishes what A stored");
        Assert.Equal(ids, seenOnB);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), ids);

        // A client that saw up to the 20th reading on A comes back on B.
        var more = await PostAsync(clientA, 5);
        await using var resumed = await SseProbe.ConnectAsync(clientB, "/api/stream", ids[19].ToString(System.Globalization.CultureInfo.InvariantCulture));
        var received = new List<long>();
        for (var i = 0; i < 35; i++)
        {
            received.Add(JsonSerializer.Deserialize<Reading>((await resumed.NextItemAsync()).Data)!.Sequence);
        }
        var live = await PostAsync(clientA, 1);
        received.Add(JsonSerializer.Deserialize<Reading>((await resumed.NextItemAsync()).Data)!.Sequence);

        Assert.Equal([.. ids.Skip(20), .. more, .. live], received);
    }

    [SkippableFact]
    public async Task An_id_that_retention_removed_gets_a_reset_on_another_instance_and_a_kept_one_resumes()
    {
        var time = Live.HubFactory.Clock();
        await using var database = await PostgresTestDatabase.CreateAsync();
        var settings = new Dictionary<string, string?>(database.Settings) { ["Storage:Retention"] = "1.00:00:00" };
        await using var a = LiveServer.Start(time, settings);
        await using var b = LiveServer.Start(time, settings);
        var ingest = a.Services.GetRequiredService<ReadingIngest>();
        var now = time.GetUtcNow();
        var old = await ingest.AcceptAsync([new("kept", 1, now.AddDays(-3)), new("kept", 2, now.AddDays(-3))], CancellationToken.None);
        var kept = await ingest.AcceptAsync([new("kept", 3, now), new("kept", 4, now)], CancellationToken.None);
        await a.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<BlazorIot.Server.Storage.RetentionSweeper>().Single().SweepAsync(CancellationToken.None);
        using var client = b.CreateNetworkClient();

        await using (var gone = await SseProbe.ConnectAsync(client, "/api/stream", old.Ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            Assert.Equal("reset", (await gone.NextItemAsync()).EventType);
        }
        await using var resumed = await SseProbe.ConnectAsync(client, "/api/stream", kept.Ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture));
        var next = await resumed.NextItemAsync();
        Assert.Equal(("reading", kept.Ids[1]), (next.EventType, JsonSerializer.Deserialize<Reading>(next.Data)!.Sequence));
    }

    [SkippableFact]
    public async Task A_device_key_and_thresholds_set_on_one_instance_apply_on_the_other_and_the_alert_is_logged_once()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var settings = new Dictionary<string, string?>(database.Settings) { ["Ingest:RequireKey"] = "true" };
        await using var a = LiveServer.Start(settings: settings);
        await using var b = LiveServer.Start(settings: settings);
        var (_, key) = await a.Services.GetRequiredService<BlazorIot.Server.Security.DeviceKeyStore>().AddAsync("greenhouse", null, admin: false, DateTimeOffset.UtcNow, CancellationToken.None);
        var monitorA = a.Services.GetRequiredService<BlazorIot.Server.Alerts.AlertMonitor>();
        var monitorB = b.Services.GetRequiredService<BlazorIot.Server.Alerts.AlertMonitor>();
        await monitorA.SetThresholdsAsync("hot", new Thresholds(null, 30, 0), CancellationToken.None);
        await monitorB.ReloadThresholdsAsync();
        Assert.Equal(30, monitorB.ThresholdsOf("hot").High);
        using var clientA = a.CreateNetworkClient();
        using var clientB = b.CreateNetworkClient();
        clientA.DefaultRequestHeaders.Authorization = new("Bearer", key);
        clientB.DefaultRequestHeaders.Authorization = new("Bearer", key);

        // The key made on A is accepted by B once B re-reads its keys (at most a second for an unknown key).
        using (var deadline = new CancellationTokenSource(Eventually.DefaultTimeout))
        {
            while ((await clientB.PostAsJsonAsync("/api/readings", new { sensor = "hot", value = 35 })).StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                Assert.False(deadline.IsCancellationRequested, "instance B never accepted the key made on A");
                await Task.Delay(100, CancellationToken.None);
            }
        }

        // Both instances see the crossing, open the alert, and log it as one row.
        await Eventually.TrueAsync(() => monitorA.ActiveAlertOf("hot") is { Id: > 0 } onA && monitorB.ActiveAlertOf("hot") is { Id: > 0 } onB && onA.Id == onB.Id,
            "both instances hold the same logged alert");
        (await clientA.PostAsJsonAsync("/api/readings", new { sensor = "hot", value = 20 })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => monitorA.ActiveAlertOf("hot") is null && monitorB.ActiveAlertOf("hot") is null, "both see it end");
        var store = b.Services.GetRequiredService<BlazorIot.Server.Alerts.AlertStore>();
        IReadOnlyList<Alert> log = [];
        using (var deadline = new CancellationTokenSource(Eventually.DefaultTimeout))
        {
            while ((log = await store.ListAsync("hot", 10, openOnly: false, CancellationToken.None)) is not [{ Ended: not null }] && !deadline.IsCancellationRequested)
            {
                await Task.Delay(20, CancellationToken.None);
            }
        }
        var logged = Assert.Single(log);
        Assert.Equal((AlertKind.High, 35.0), (logged.Kind, logged.Peak));
        Assert.NotNull(logged.Ended);
        using var noKey = a.CreateNetworkClient();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await noKey.PostAsJsonAsync("/api/readings", new { sensor = "hot", value = 1 })).StatusCode);
    }

    [SkippableFact]
    public async Task Instances_share_their_data_protection_keys_so_one_reads_what_the_other_protected()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var a = LiveServer.Start(settings: database.Settings);
        await using var b = LiveServer.Start(settings: database.Settings);

        var fromA = a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("circuit").Protect("state written on A");
        var fromB = b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("circuit").Protect("state written on B");

        Assert.Equal("state written on A", b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("circuit").Unprotect(fromA));
        Assert.Equal("state written on B", a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("circuit").Unprotect(fromB));
        // On one machine both would also find a key in the user's profile: the key must be in the shared database.
        await using var connection = await database.OpenAsync();
        await using var keys = new NpgsqlCommand("SELECT COUNT(*) FROM data_protection_keys;", connection);
        Assert.True((long)(await keys.ExecuteScalarAsync())! >= 1, "the key ring is kept in PostgreSQL");
    }

    [SkippableFact]
    public async Task A_browser_gets_a_random_route_cookie_for_the_proxy_to_keep_its_circuit_on_one_instance()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var server = LiveServer.Start(settings: database.Settings);
        using var first = server.CreateNetworkClient();
        using var second = server.CreateNetworkClient();

        var cookies = await Task.WhenAll(RouteCookieAsync(first), RouteCookieAsync(second));

        Assert.All(cookies, cookie => Assert.Matches("^blazoriot_route=[0-9A-F]{16}; path=/; samesite=lax; httponly$", cookie));
        Assert.NotEqual(cookies[0], cookies[1]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("Cookie", cookies[0].Split(';')[0]);
        Assert.False((await first.SendAsync(request)).Headers.Contains("Set-Cookie"));

        static async Task<string> RouteCookieAsync(HttpClient client) =>
            Assert.Single((await client.GetAsync("/health/live")).Headers.GetValues("Set-Cookie"));
    }

    [SkippableFact]
    public async Task An_instance_that_loses_its_listen_connection_listens_again_and_misses_nothing()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        // A catch-up slower than the test: only NOTIFY can bring B the readings in time.
        var settings = new Dictionary<string, string?>(database.Settings) { ["Storage:FeedCatchUpInterval"] = "00:01:00" };
        await using var a = LiveServer.Start(settings: settings);
        await using var b = LiveServer.Start(settings: settings);
        var ingest = a.Services.GetRequiredService<ReadingIngest>();
        await using var admin = await database.OpenAsync();
        await Eventually.TrueAsync(() => Listeners(admin) == 2, "both instances listen");

        await using (var cut = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%';", admin))
        {
            await cut.ExecuteNonQueryAsync();
        }
        var during = await ingest.AcceptAsync(new ReadingInput("listen", 1), CancellationToken.None);
        await Eventually.TrueAsync(() => Listeners(admin) == 2, "both instances listen again");
        var after = await ingest.AcceptAsync(new ReadingInput("listen", 2), CancellationToken.None);

        await Eventually.TrueAsync(() => b.Hub.LastSequence == after.Ids[0], "instance B publishes the reading sent after it listened again");
        Assert.Equal([during.Ids[0], after.Ids[0]], b.Hub.GetWindow("listen").Select(r => r.Sequence));

        static int Listeners(NpgsqlConnection admin)
        {
            using var count = new NpgsqlCommand("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%';", admin);
            return Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    [SkippableFact]
    public async Task Ids_become_visible_in_id_order_even_when_a_transaction_is_slow_to_commit()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var a = LiveServer.Start(settings: database.Settings);
        await using var b = LiveServer.Start(settings: database.Settings);
        var writerA = a.Services.GetRequiredService<PostgresGroupCommitWriter>();
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        writerA.BeforeCommit = async _ =>
        {
            writerA.BeforeCommit = null;
            held.TrySetResult();
            await release.Task;
        };

        var slow = a.Services.GetRequiredService<ReadingIngest>().AcceptAsync(new ReadingInput("race", 1), CancellationToken.None);
        await held.Task.WaitAsync(Eventually.DefaultTimeout);
        var fast = b.Services.GetRequiredService<ReadingIngest>().AcceptAsync(new ReadingInput("race", 2), CancellationToken.None);

        // B's transaction waits for A's lock on the counter instead of taking an id and committing first.
        await using (var admin = await database.OpenAsync())
        {
            await Eventually.TrueAsync(() => WaitingOnLocks(admin) > 0, "instance B's ingest waits for A's commit");
        }
        Assert.False(fast.IsCompleted);
        Assert.Equal(0, a.Hub.LastSequence);
        Assert.Equal(0, b.Hub.LastSequence);

        release.SetResult();
        var (slowId, fastId) = (Assert.Single((await slow).Ids), Assert.Single((await fast).Ids));

        Assert.Equal((1, 2), (slowId, fastId));
        await Eventually.TrueAsync(() => a.Hub.LastSequence == 2 && b.Hub.LastSequence == 2, "both instances publish both readings");
        Assert.Equal([1.0, 2.0], a.Hub.GetWindow("race").Select(r => r.Value));
        Assert.Equal([1.0, 2.0], b.Hub.GetWindow("race").Select(r => r.Value));
    }

    /// <summary>
    /// The control for the test above: with a plain sequence, a transaction that took id 1 and
    /// commits after another took and committed id 2 is never seen by a reader that already
    /// moved past 2. This is the row the serialized allocator exists to keep.
    /// </summary>
    [SkippableFact]
    public async Task With_a_plain_sequence_a_late_commit_is_missed_by_a_reader_that_resumed_past_it()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var setup = await database.OpenAsync();
        await Execute(setup, "CREATE TABLE plain (seq bigserial PRIMARY KEY, value double precision NOT NULL);");
        await using var slow = await database.OpenAsync();
        await using var fast = await database.OpenAsync();
        await using var reader = await database.OpenAsync();

        await using var slowTransaction = await slow.BeginTransactionAsync();
        await Execute(slow, "INSERT INTO plain (value) VALUES (1);", slowTransaction);
        await Execute(fast, "INSERT INTO plain (value) VALUES (2);");
        var firstRead = await ReadAfterAsync(reader, 0);
        await slowTransaction.CommitAsync();
        var secondRead = await ReadAfterAsync(reader, firstRead.Max());

        Assert.Equal([2L], firstRead);
        Assert.Empty(secondRead);
        Assert.Equal([1L, 2L], await ReadAfterAsync(reader, 0));
    }

    private static int WaitingOnLocks(NpgsqlConnection admin)
    {
        using var command = new NpgsqlCommand("SELECT COUNT(*) FROM pg_locks WHERE NOT granted;", admin);
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<long>> ReadAfterAsync(NpgsqlConnection connection, long after)
    {
        await using var command = new NpgsqlCommand("SELECT seq FROM plain WHERE seq > @after ORDER BY seq;", connection);
        command.Parameters.AddWithValue("after", after);
        var ids = new List<long>();
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            ids.Add(rows.GetInt64(0));
        }
        return ids;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<long>> PostAsync(HttpClient client, int count)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var response = await client.PostAsJsonAsync("/api/readings", new { sensor = "multi", value = i });
            response.EnsureSuccessStatusCode();
            ids.AddRange((await response.Content.ReadFromJsonAsync<IngestResult>())!.Ids);
        }
        return ids;
    }
}
