using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.RegularExpressions;
using BlazorIot.Bench.Circuits;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Faults;

/// <summary>
/// Stream faults against the real server as its own process, on real time: clients that stop
/// reading (SSE streams and dashboards) and a server stopped by SIGSTOP. Each ends by checking
/// that every reading the writer had acknowledged is in the store.
/// </summary>
public sealed class StreamFaultTests : IDisposable
{
    private const string Sensor = "luminosity";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    private readonly string dataFolder = Directory.CreateTempSubdirectory("blazoriot-faults-").FullName;

    [Fact]
    public async Task Clients_that_stop_reading_either_stream_are_closed_and_counted_and_new_clients_get_their_slots()
    {
        await using var server = await StartAsync(new()
        {
            ["Streaming:MaxSubscribers"] = "5",
            // A reading stream that falls behind is otherwise closed for that first; this is about stalling.
            ["Streaming:ReadingQueueCapacity"] = "1000000",
        });
        using var client = NewClient(server);
        var stalled = new List<RawConnection>();
        try
        {
            // Each takes a few kB at most and never reads them.
            foreach (var route in new[] { "/connexion", "/api/stream", "/connexion", "/api/stream", "/api/stream" })
            {
                stalled.Add(await RawConnection.OpenAsync(server.BaseAddress, StreamRequest(route), receiveBuffer: 1024));
            }
            await UntilAsync(async () => await MetricAsync(client, "blazoriot_sse_subscribers") == 5, "the five streams are open");
            using (var refused = await RawConnection.OpenAsync(server.BaseAddress, StreamRequest("/api/stream")))
            {
                Assert.StartsWith("HTTP/1.1 503 ", await refused.ReadHeadAsync());
            }

            await using var writer = Writer.Start(client, loops: 2, batch: 1);
            // A /connexion stream gets one snapshot per commit: single-reading commits fill its buffers
            // (about 4 MB, the kernel's send buffer grown to its limit) soonest, in some 15 s here.
            await UntilAsync(async () => await MetricAsync(client, "blazoriot_sse_subscribers") == 0, "the stalled streams are closed", TimeSpan.FromSeconds(90));

            Assert.Equal(5, await MetricAsync(client, "blazoriot_sse_closed_total", "reason=\"stalled\""));
            foreach (var connection in stalled)
            {
                await AssertClosedAsync(connection);
            }
            foreach (var route in new[] { "/connexion", "/api/stream" })
            {
                using var next = await RawConnection.OpenAsync(server.BaseAddress, StreamRequest(route));
                Assert.StartsWith("HTTP/1.1 200 OK\r\n", await next.ReadHeadAsync());
            }
            await AssertStoredAsync(client, await writer.StopAsync());
        }
        finally
        {
            stalled.ForEach(connection => connection.Dispose());
        }
    }

    [Fact]
    public async Task A_dashboard_that_stops_reading_is_disconnected_within_the_deadline_and_its_circuit_freed_while_one_that_reads_keeps_its_own()
    {
        await using var server = await StartAsync(new() { ["Dashboard:DisconnectedCircuitRetention"] = "00:00:01" });
        using var client = NewClient(server);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // The dashboard shows a card per known sensor, so the sensor reports before the pages open.
        (await client.GetAsync($"/{Sensor}/1", timeout.Token)).EnsureSuccessStatusCode();
        var page = new Uri(server.BaseAddress, "/");
        var updates = 0L;
        await using var reading = new WebSocketCircuitClient(page) { ChartUpdate = (_, _) => Interlocked.Increment(ref updates) };
        using var release = new ManualResetEventSlim();
        var stoppedReading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Its first chart update holds its receive loop: from then on it neither reads nor acknowledges.
        await using var stalled = new WebSocketCircuitClient(page)
        {
            ChartUpdate = (_, _) =>
            {
                stoppedReading.TrySetResult();
                release.Wait(timeout.Token);
            },
        };
        try
        {
            await reading.StartAsync(client, timeout.Token);
            await stalled.StartAsync(client, timeout.Token);
            await UntilAsync(async () => await MetricAsync(client, "blazoriot_circuits") == 2, "both dashboards are open");

            await using var writer = Writer.Start(client, loops: 1, batch: 1);
            await stoppedReading.Task.WaitAsync(timeout.Token);
            var clock = Stopwatch.StartNew();
            await UntilAsync(async () => await MetricAsync(client, "blazoriot_circuits_disconnected_total", "reason=\"stalled\"") == 1, "the stalled dashboard is disconnected");
            var cutAfter = clock.Elapsed;
            await UntilAsync(async () => await MetricAsync(client, "blazoriot_circuits") == 1, "the stalled dashboard's circuit is freed");
            var before = Interlocked.Read(ref updates);
            await Eventually.TrueAsync(() => Interlocked.Read(ref updates) > before, "the reading dashboard still gets chart updates");

            // Cut off once its oldest unacknowledged batch (sent just before it stopped) is a deadline old, checked every quarter deadline.
            Assert.InRange(cutAfter, Deadline / 2, Deadline * 2);
            await AssertStoredAsync(client, await writer.StopAsync());
        }
        finally
        {
            release.Set();
        }
    }

    [SkippableFact]
    public async Task A_server_stopped_for_ten_seconds_under_load_gives_every_stream_client_every_acknowledged_reading_exactly_once()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "SIGSTOP and SIGCONT are Linux signals here.");
        await using var server = await StartAsync([]);
        using var client = NewClient(server);
        var readers = Enumerable.Range(0, 3).Select(_ => ResumingReader.Start(server.BaseAddress)).ToArray();
        try
        {
            await UntilAsync(async () => await MetricAsync(client, "blazoriot_sse_subscribers") == 3, "the three streams are open");
            await using var writer = Writer.Start(client, loops: 2, batch: 50);
            await Eventually.TrueAsync(() => writer.Acknowledged >= 2000, "readings are acknowledged before the stop");

            Assert.Equal(0, await SignalAsync(server.ProcessId, "STOP"));
            var beforeStop = writer.Acknowledged;
            // The fault itself: ten seconds in which the server runs nothing at all.
            await Task.Delay(TimeSpan.FromSeconds(10));
            var duringStop = writer.Acknowledged;
            Assert.Equal(0, await SignalAsync(server.ProcessId, "CONT"));
            await Eventually.TrueAsync(() => writer.Acknowledged >= duringStop + 2000, "readings are acknowledged again after the stop");
            var acknowledged = await writer.StopAsync();

            // At most the requests already answered as the stop came.
            Assert.InRange(duringStop - beforeStop, 0, 100);
            var last = acknowledged.Max();
            foreach (var reader in readers)
            {
                await Eventually.TrueAsync(() => reader.LastId >= last, "every client has caught up with the last acknowledged reading", TimeSpan.FromSeconds(30));
                var ids = reader.Ids;
                Assert.True(ids.Zip(ids.Skip(1)).All(pair => pair.First < pair.Second), "each reading arrives once, in order");
                Assert.Empty(acknowledged.Except(ids));
            }
            await AssertStoredAsync(client, acknowledged);
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.DisposeAsync();
            }
        }
    }

    public void Dispose() => Directory.Delete(dataFolder, recursive: true);

    private async Task<ServerProcess> StartAsync(Dictionary<string, string> settings)
    {
        settings["Streaming:StalledClientTimeout"] = Deadline.ToString("c", CultureInfo.InvariantCulture);
        // One writer on the loopback sends far more than a device would; the rate limit is not under test.
        settings["Ingest:RequestsPerSecond"] = "1000000";
        settings["Ingest:Burst"] = "1000000";
        settings["Storage:SqlitePath"] = Path.Combine(dataFolder, "faults.db");
        var server = new ServerProcess(ServerProcess.FreePort(), settings);
        await server.StartAsync();
        return server;
    }

    private static HttpClient NewClient(ServerProcess server) => new() { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    private static string StreamRequest(string route) => $"GET {route} HTTP/1.1\r\nHost: lab\r\nAccept: text/event-stream\r\n\r\n";

    /// <summary>The server closed it: what it had sent ends in a close (or a reset), not a wait.</summary>
    private static async Task AssertClosedAsync(RawConnection connection)
    {
        try
        {
            await connection.ReadToEndAsync();
        }
        catch (IOException)
        {
            // Reset rather than closed: gone all the same.
        }
    }

    /// <summary>No acknowledged reading lost: each is in the store.</summary>
    private static async Task AssertStoredAsync(HttpClient client, IReadOnlyCollection<long> acknowledged)
    {
        var csv = await client.GetStringAsync($"/api/sensors/{Sensor}/readings?format=csv");
        var stored = csv.Split('\n').Select(row => long.TryParse(row.Split(',')[0], CultureInfo.InvariantCulture, out var seq) ? seq : 0);
        Assert.Empty(acknowledged.Except(stored));
    }

    /// <summary>A sample from <c>/metrics</c> (0 when absent): the first series of that name whose labels include <paramref name="label"/>.</summary>
    private static async Task<double> MetricAsync(HttpClient client, string name, string label = "")
    {
        var metrics = await client.GetStringAsync("/metrics");
        var sample = Regex.Match(metrics, $@"^{Regex.Escape(name)}\{{(?=[^}}]*{Regex.Escape(label)})[^}}]*\}} (\S+)", RegexOptions.Multiline);
        return sample.Success ? double.Parse(sample.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Eventually.DefaultTimeout);
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }
            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>Sends the signal with kill(1); its exit code.</summary>
    private static async Task<int> SignalAsync(int processId, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        return kill.ExitCode;
    }

    /// <summary>Posts readings of <see cref="Sensor"/> in a loop and keeps the sequence id of each one acknowledged (2xx).</summary>
    private sealed class Writer : IAsyncDisposable
    {
        private readonly HttpClient client;
        private readonly CancellationTokenSource stop = new();
        private readonly ConcurrentQueue<long> acknowledged = new();
        private Task[] loops = [];

        private Writer(HttpClient client) => this.client = client;

        public int Acknowledged => acknowledged.Count;

        public static Writer Start(HttpClient client, int loops, int batch)
        {
            var writer = new Writer(client);
            writer.loops = Enumerable.Range(0, loops).Select(_ => Task.Run(() => writer.PostAsync(batch))).ToArray();
            return writer;
        }

        private async Task PostAsync(int batch)
        {
            var value = 0.0;
            while (!stop.IsCancellationRequested)
            {
                var readings = Enumerable.Range(0, batch).Select(_ => new { sensor = Sensor, value = value++ }).ToArray();
                try
                {
                    using var response = await client.PostAsJsonAsync("/api/readings", readings, stop.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        var result = await response.Content.ReadFromJsonAsync<IngestResult>(stop.Token);
                        foreach (var id in result!.Ids)
                        {
                            acknowledged.Enqueue(id);
                        }
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // Stopped mid-request: that one is not acknowledged.
                }
            }
        }

        public async Task<IReadOnlyCollection<long>> StopAsync()
        {
            await stop.CancelAsync();
            await Task.WhenAll(loops);
            return [.. acknowledged];
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            stop.Dispose();
        }
    }

    /// <summary>An <c>/api/stream</c> client as EventSource is: when its stream ends it comes back with its Last-Event-ID.</summary>
    private sealed class ResumingReader : IAsyncDisposable
    {
        private readonly HttpClient client;
        private readonly CancellationTokenSource stop = new();
        private readonly List<long> ids = [];
        private Task running = Task.CompletedTask;

        private ResumingReader(Uri baseAddress) => client = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };

        public static ResumingReader Start(Uri baseAddress)
        {
            var reader = new ResumingReader(baseAddress);
            reader.running = Task.Run(reader.ReadAsync);
            return reader;
        }

        public long[] Ids
        {
            get
            {
                lock (ids)
                {
                    return [.. ids];
                }
            }
        }

        public long LastId
        {
            get
            {
                lock (ids)
                {
                    return ids.Count == 0 ? 0 : ids[^1];
                }
            }
        }

        private async Task ReadAsync()
        {
            var token = stop.Token;
            string? lastEventId = null;
            while (!token.IsCancellationRequested)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/api/stream");
                    if (lastEventId is not null)
                    {
                        request.Headers.Add("Last-Event-ID", lastEventId);
                    }
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
                    response.EnsureSuccessStatusCode();
                    await using var body = await response.Content.ReadAsStreamAsync(token);
                    await foreach (var item in SseParser.Create(body).EnumerateAsync(token))
                    {
                        Assert.Equal("reading", item.EventType);
                        lock (ids)
                        {
                            ids.Add(long.Parse(item.EventId!, CultureInfo.InvariantCulture));
                        }
                        lastEventId = item.EventId;
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or IOException && !token.IsCancellationRequested)
                {
                    // The stream broke: come back, as EventSource would.
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await running;
            client.Dispose();
            stop.Dispose();
        }
    }
}
