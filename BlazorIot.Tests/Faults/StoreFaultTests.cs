using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BlazorIot.Tests.Faults;

/// <summary>
/// Faults of the store under a running server, each against the real server process while a
/// client keeps ingesting: its data folder removed or moved away, its file replaced, its disk
/// full. Each ends by checking that no reading the server acknowledged is missing.
/// </summary>
public sealed class StoreFaultTests
{
    private const string Sensor = "fault";

    // The rate limit out of the way: these faults are the store's.
    private static readonly Dictionary<string, string> Unlimited = new()
    {
        ["Ingest:RequestsPerSecond"] = "100000",
        ["Ingest:Burst"] = "100000",
    };

    [Fact]
    public async Task A_data_folder_moved_away_under_ingest_makes_the_server_unready_and_refuse_with_Retry_After_and_nothing_acknowledged_is_lost()
    {
        var folder = Directory.CreateTempSubdirectory("blazoriot-fault-").FullName;
        var data = Path.Combine(folder, "data");
        var movedAway = Path.Combine(folder, "moved-away");
        var settings = Settings(Path.Combine(data, "blazoriot.db"));
        try
        {
            SteadyIngest ingest;
            await using (var server = new ServerProcess(ServerProcess.FreePort(), settings))
            {
                await server.StartAsync();
                await using (ingest = new SteadyIngest(server.BaseAddress))
                {
                    await ingest.WaitForAcknowledgedAsync(300);

                    Directory.Move(data, movedAway);
                    var sentAfterTheFault = ingest.NextId + 1;

                    await ingest.WaitForRefusalsAsync();
                    await AssertUnreadyAndRefusingAsync(server.BaseAddress);
                    Assert.Contains("crit: BlazorIot.Server.Storage.StoreFileWatch", server.Output, StringComparison.Ordinal);
                    Assert.Contains(Path.Combine(data, "blazoriot.db"), server.Output, StringComparison.Ordinal);
                    await ingest.StopAsync();
                    Assert.DoesNotContain(ingest.Acknowledged, id => id >= sentAfterTheFault);
                    Assert.Equal(0, ingest.RefusedWithoutRetryAfter);
                    Assert.Contains("removed or replaced", ingest.LastRefusalDetail, StringComparison.Ordinal);
                }
                await server.KillAsync();
            }

            // Put back where it was, the file holds every reading the server acknowledged.
            Directory.Move(movedAway, data);
            await AssertARestartFindsAsync(settings, ingest.Acknowledged);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_data_folder_deleted_under_ingest_acknowledges_nothing_sent_after_and_logs_one_critical_line_naming_the_file()
    {
        var folder = Directory.CreateTempSubdirectory("blazoriot-fault-").FullName;
        var database = Path.Combine(folder, "data", "blazoriot.db");
        try
        {
            await using var server = new ServerProcess(ServerProcess.FreePort(), Settings(database));
            await server.StartAsync();
            await using var ingest = new SteadyIngest(server.BaseAddress);
            await ingest.WaitForAcknowledgedAsync(300);

            Directory.Delete(Path.GetDirectoryName(database)!, recursive: true);
            var sentAfterTheFault = ingest.NextId + 1;

            await ingest.WaitForRefusalsAsync();
            await AssertUnreadyAndRefusingAsync(server.BaseAddress);
            await ingest.StopAsync();
            // After a restart the store at this path starts empty: anything acknowledged now would be lost.
            Assert.DoesNotContain(ingest.Acknowledged, id => id >= sentAfterTheFault);
            Assert.Equal(0, ingest.RefusedWithoutRetryAfter);
            Assert.Single(server.Output.Split('\n'), line => line.Contains("crit: ", StringComparison.Ordinal));
            Assert.Contains(database, server.Output, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_database_file_replaced_under_a_running_server_makes_it_unready_and_refuse_ingest()
    {
        var path = LiveServer.NewDatabasePath();
        try
        {
            await using var server = LiveServer.Start(databasePath: path);
            using var client = server.CreateNetworkClient();
            (await client.PostAsJsonAsync("/api/readings", new { sensor = Sensor, value = 1 })).EnsureSuccessStatusCode();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

            // What restoring a backup under a running server does: another file takes the path.
            var restored = path + ".restored";
            File.Copy(path, restored);
            File.Move(restored, path, overwrite: true);

            await AssertUnreadyAndRefusingAsync(server.BaseAddress);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [SkippableFact]
    public async Task A_full_disk_for_fifteen_seconds_logs_a_few_lines_answers_503_with_Retry_After_recovers_by_itself_and_loses_nothing_acknowledged()
    {
        var folder = Directory.CreateTempSubdirectory("blazoriot-fault-").FullName;
        var mounted = await RunAsync("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", folder) == 0;
        try
        {
            Skip.IfNot(mounted, "Mounting a small tmpfs needs root (CAP_SYS_ADMIN); this machine refused it, so the full disk cannot be made.");
            var settings = Settings(Path.Combine(folder, "blazoriot.db"));
            SteadyIngest ingest;
            await using (var server = new ServerProcess(ServerProcess.FreePort(), settings))
            {
                await server.StartAsync();
                await using (ingest = new SteadyIngest(server.BaseAddress))
                {
                    await ingest.WaitForAcknowledgedAsync(200);

                    var filler = Path.Combine(folder, "filler");
                    FillTheDisk(filler);
                    var logBefore = server.Output.Length;
                    var clock = Stopwatch.StartNew();
                    await ingest.WaitForRefusalsAsync();
                    // The fault lasts as long as the probe made it last, whatever the server does meanwhile.
                    await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, 15 - clock.Elapsed.TotalSeconds)));
                    var linesDuringTheFault = server.Output[logBefore..].Count(c => c == '\n');

                    File.Delete(filler);
                    var acknowledgedBeforeRecovery = ingest.Acknowledged.Count;
                    await Eventually.TrueAsync(() => ingest.Acknowledged.Count >= acknowledgedBeforeRecovery + 200,
                        "the server stores readings again once there is room, without a restart", TimeSpan.FromSeconds(30));
                    await ingest.StopAsync();

                    Assert.True(linesDuringTheFault < 100, $"The server wrote {linesDuringTheFault} log lines in 15 s of full disk:\n{server.Output[logBefore..]}");
                    Assert.True(ingest.Refused > 0);
                    Assert.Equal(0, ingest.RefusedWithoutRetryAfter);
                }
                await server.KillAsync();
            }

            await AssertARestartFindsAsync(settings, ingest.Acknowledged);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (mounted)
            {
                await RunAsync("umount", folder);
            }
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Dictionary<string, string> Settings(string databasePath) =>
        new(Unlimited) { ["Storage:SqlitePath"] = databasePath };

    /// <summary>Ready turns 503, and each ingest route answers 503 problem details with Retry-After.</summary>
    private static async Task AssertUnreadyAndRefusingAsync(Uri server)
    {
        using var client = new HttpClient { BaseAddress = server };
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var posted = await client.PostAsJsonAsync("/api/readings", new { sensor = Sensor, value = 1 });
        using var legacy = await client.GetAsync("/luminosity/1");
        using var byGet = await client.GetAsync($"/api/sensors/{Sensor}/ingest?value=1");
        foreach (var response in new[] { posted, legacy, byGet })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("removed or replaced", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    /// <summary>Restarts the server on the same store: every acknowledged reading is there.</summary>
    private static async Task AssertARestartFindsAsync(Dictionary<string, string> settings, IEnumerable<long> acknowledged)
    {
        await using var restarted = new ServerProcess(ServerProcess.FreePort(), settings);
        await restarted.StartAsync();
        using var client = new HttpClient { BaseAddress = restarted.BaseAddress };
        var stored = await client.GetFromJsonAsync<Reading[]>($"/api/sensors/{Sensor}/readings?limit=100000");
        Assert.Empty(acknowledged.Except(stored!.Select(reading => reading.DeviceId!.Value)));
    }

    private static void FillTheDisk(string path) => SmallDisk.FillWith(path);

    private static Task<int> RunAsync(string program, params string[] arguments) => SmallDisk.RunAsync(program, arguments);

    /// <summary>
    /// Four devices posting batches of ten readings with their own ids, each about twenty times a
    /// second, until stopped; keeps which ids were acknowledged and how refusals were answered.
    /// </summary>
    private sealed class SteadyIngest : IAsyncDisposable
    {
        private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(50);
        private readonly HttpClient client;
        private readonly CancellationTokenSource stop = new();
        private readonly Task[] devices;
        private long nextId;
        private int refused;
        private int refusedWithoutRetryAfter;
        private volatile string lastRefusalDetail = "";

        public SteadyIngest(Uri server)
        {
            client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
            devices = Enumerable.Range(0, 4).Select(_ => Task.Run(RunAsync)).ToArray();
        }

        public ConcurrentBag<long> Acknowledged { get; } = [];

        /// <summary>The last id handed out; every request built later has higher ids.</summary>
        public long NextId => Interlocked.Read(ref nextId);

        public int Refused => Volatile.Read(ref refused);

        public int RefusedWithoutRetryAfter => Volatile.Read(ref refusedWithoutRetryAfter);

        public string LastRefusalDetail => lastRefusalDetail;

        public Task WaitForAcknowledgedAsync(int count) =>
            Eventually.TrueAsync(() => Acknowledged.Count >= count, $"the server has acknowledged {count} readings", TimeSpan.FromSeconds(60));

        public Task WaitForRefusalsAsync() =>
            Eventually.TrueAsync(() => Refused >= 4, "the server refuses ingest", TimeSpan.FromSeconds(30));

        private async Task RunAsync()
        {
            using var timer = new PeriodicTimer(Period);
            while (await WaitAsync(timer))
            {
                var ids = Enumerable.Range(0, 10).Select(_ => Interlocked.Increment(ref nextId)).ToArray();
                try
                {
                    using var response = await client.PostAsJsonAsync("/api/readings", ids.Select(id => new { sensor = Sensor, value = id, id }), stop.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        foreach (var id in ids)
                        {
                            Acknowledged.Add(id);
                        }
                        continue;
                    }
                    Interlocked.Increment(ref refused);
                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable || response.Headers.RetryAfter is null)
                    {
                        Interlocked.Increment(ref refusedWithoutRetryAfter);
                    }
                    lastRefusalDetail = await response.Content.ReadAsStringAsync(stop.Token);
                }
                catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException)
                {
                    // Stopped, or the server was killed: these ids were never acknowledged.
                }
            }
        }

        private async Task<bool> WaitAsync(PeriodicTimer timer)
        {
            try
            {
                return await timer.WaitForNextTickAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public async Task StopAsync()
        {
            await stop.CancelAsync();
            await Task.WhenAll(devices);
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            client.Dispose();
            stop.Dispose();
        }
    }
}
