using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorIot.Server.Security;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Storage;

/// <summary>Backups of the SQLite store (the <c>backup FILE</c> command and <c>GET /api/backup</c>): consistent copies while ingest goes on.</summary>
public sealed class BackupTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("blazoriot-backup-").FullName;

    [Fact]
    public async Task A_backup_taken_under_ingest_restores_every_reading_acknowledged_before_it_started()
    {
        var live = Path.Combine(folder, "live.db");
        var copy = Path.Combine(folder, "copy.db");
        List<long> acknowledgedBeforeBackup;
        await using (var server = LiveServer.Start(databasePath: live))
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = -1;
            acknowledgedBeforeBackup = await AcknowledgedBeforeAsync(server, async () =>
                code = await BackupCommand.RunAsync(["backup", copy, $"--Storage:SqlitePath={live}"], output, error, CancellationToken.None));

            Assert.True(code == 0, error.ToString());
            Assert.Contains(copy, output.ToString(), StringComparison.Ordinal);
        }

        await AssertRestoresAsync(copy, acknowledgedBeforeBackup);
    }

    [Fact]
    public async Task A_backup_over_http_under_ingest_restores_every_reading_acknowledged_before_the_request()
    {
        var live = Path.Combine(folder, "live.db");
        var copy = Path.Combine(folder, "copy.db");
        var adminKey = await DeviceKeys.AddAsync(live, "ops", "--admin");
        List<long> acknowledgedBeforeBackup;
        await using (var server = LiveServer.Start(databasePath: live))
        {
            using var http = server.CreateNetworkClient();
            HttpResponseMessage? response = null;
            // Only an admin key exists: the devices send without one.
            acknowledgedBeforeBackup = await AcknowledgedBeforeAsync(server, async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/backup");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
                response = await http.SendAsync(request);
            });

            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response!.StatusCode);
                Assert.Equal(BackupEndpoints.ContentType, response.Content.Headers.ContentType?.MediaType);
                Assert.Matches("^blazoriot-[0-9]{8}-[0-9]{6}\\.db$", DownloadName(response));
                await using var file = File.Create(copy);
                await response.Content.CopyToAsync(file);
            }
        }

        await AssertRestoresAsync(copy, acknowledgedBeforeBackup);
    }

    [Fact]
    public async Task Two_backups_at_once_are_both_whole_named_by_the_servers_clock_and_leave_no_file_behind()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 1, 30, 0, TimeSpan.Zero));
        await using var server = LiveServer.Start(time, databasePath: Path.Combine(folder, "live.db"));
        using var http = server.CreateNetworkClient();
        var readings = Enumerable.Range(0, 200).Select(i => new { sensor = "both", value = i }).ToArray();
        (await http.PostAsJsonAsync("/api/readings", readings)).EnsureSuccessStatusCode();

        var responses = await Task.WhenAll(http.GetAsync("/api/backup"), http.GetAsync("/api/backup"));

        for (var i = 0; i < responses.Length; i++)
        {
            using var response = responses[i];
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("blazoriot-20261207-013000.db", DownloadName(response));
            Assert.True(response.Headers.CacheControl?.NoStore, "a copy of the store is not kept by caches");
            var copy = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"copy-{i}.db"));
            await File.WriteAllBytesAsync(copy, await response.Content.ReadAsByteArrayAsync());
            await using var connection = new SqliteConnection($"Data Source={copy};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check;";
            Assert.Equal("ok", await check.ExecuteScalarAsync());
            check.CommandText = "SELECT count(*) FROM readings;";
            Assert.Equal(200L, await check.ExecuteScalarAsync());
        }
        var scratch = server.Services.GetRequiredService<TemporaryBackups>().Folder;
        await Eventually.TrueAsync(() => !Directory.EnumerateFileSystemEntries(scratch).Any(), "both temporary copies are removed");
    }

    [Fact]
    public async Task A_client_that_goes_away_during_the_download_leaves_no_copy_behind()
    {
        var live = Path.Combine(folder, "live.db");
        // Far more than the loopback socket buffers hold: the server is still sending when the client leaves.
        const int FillerMiB = 32;
        await FillAsync(live, FillerMiB);
        await using var server = LiveServer.Start(databasePath: live);
        var scratch = server.Services.GetRequiredService<TemporaryBackups>().Folder;
        using var http = server.CreateNetworkClient();

        using (var response = await http.GetAsync("/api/backup", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Content.Headers.ContentLength > FillerMiB * 1048576L);
            await using var body = await response.Content.ReadAsStreamAsync();
            await body.ReadExactlyAsync(new byte[65536]);
            Assert.Single(Directory.EnumerateFiles(scratch));
        }

        await Eventually.TrueAsync(() => !Directory.EnumerateFileSystemEntries(scratch).Any(), "the copy is removed once its client has gone");
    }

    [SkippableFact]
    public async Task A_backup_with_no_room_in_the_temporary_folder_answers_503_and_leaves_nothing_there()
    {
        await using var disk = await SmallDisk.MountAsync();
        Skip.IfNot(disk.Mounted, "Mounting a small tmpfs needs root (CAP_SYS_ADMIN); this machine refused it, so the full temporary folder cannot be made.");
        var live = Path.Combine(folder, "live.db");
        // A store larger than the 3 MiB the temporary folder has.
        await FillAsync(live, mebibytes: 8);
        await using var server = new ServerProcess(ServerProcess.FreePort(),
            new Dictionary<string, string> { ["Storage:SqlitePath"] = live }, new Dictionary<string, string> { ["TMPDIR"] = disk.Folder });
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        using var response = await http.GetAsync("/api/backup");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("The backup could not be made.", problem.GetProperty("title").GetString());
        Assert.Contains(disk.Folder, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The runtime keeps its diagnostic pipes in TMPDIR too: only the server's backup folder is looked at.
        var backups = Assert.Single(Directory.EnumerateDirectories(disk.Folder, "blazoriot-backups-*"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(backups));
    }

    [SkippableFact]
    public async Task With_PostgreSQL_the_backup_route_answers_409_and_names_pg_dump()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        string[] store = ["--Storage:Provider=postgres", $"--ConnectionStrings:Postgres={database.ConnectionString}"];
        using var keyOutput = new StringWriter();
        using var keyError = new StringWriter();
        Assert.True(await KeysCommand.RunAsync(["keys", "add", "ops", "--admin", .. store], keyOutput, keyError) == 0, keyError.ToString());
        var adminKey = keyOutput.ToString().Trim();
        await using var server = LiveServer.Start(settings: database.Settings);
        using var http = server.CreateNetworkClient();

        // The admin flag came back from PostgreSQL: without sign-in, the key closed the admin routes.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/backup")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/backup");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("pg_dump", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains("pg_dump -Fc", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backup_never_overwrites_a_file_and_names_a_missing_database()
    {
        var existing = Path.Combine(folder, "existing.db");
        await File.WriteAllTextAsync(existing, "keep me");
        using var error = new StringWriter();

        var missing = await BackupCommand.RunAsync(["backup", Path.Combine(folder, "new.db"), $"--Storage:SqlitePath={Path.Combine(folder, "none.db")}"], TextWriter.Null, error, CancellationToken.None);
        Assert.Equal(2, missing);
        Assert.Contains("There is no database", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "none.db")), "looking for the database did not create one");

        await using (LiveServer.Start(databasePath: Path.Combine(folder, "live.db")))
        {
        }
        var refused = await BackupCommand.RunAsync(["backup", existing, $"--Storage:SqlitePath={Path.Combine(folder, "live.db")}"], TextWriter.Null, error, CancellationToken.None);
        Assert.Equal(2, refused);
        Assert.Equal("keep me", await File.ReadAllTextAsync(existing));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{existing} already exists"), error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Four devices send readings without a key while <paramref name="backUp"/> runs, and go on after it;
    /// returns the device ids acknowledged before it started.
    /// </summary>
    private static async Task<List<long>> AcknowledgedBeforeAsync(LiveServer server, Func<Task> backUp)
    {
        using var http = server.CreateNetworkClient();
        var acknowledged = new ConcurrentBag<long>();
        using var stop = new CancellationTokenSource();
        var devices = Enumerable.Range(0, 4).Select(device => Task.Run(async () =>
        {
            for (long id = device * 1_000_000; !stop.IsCancellationRequested; id++)
            {
                using var response = await http.PostAsJsonAsync("/api/readings", new { sensor = "backed-up", value = id, id }, CancellationToken.None);
                response.EnsureSuccessStatusCode();
                acknowledged.Add(id);
            }
        })).ToArray();
        await Eventually.TrueAsync(() => acknowledged.Count >= 500, "ingest is under way");

        var before = acknowledged.ToList();
        await backUp();
        var countAfterBackup = acknowledged.Count;
        await Eventually.TrueAsync(() => acknowledged.Count >= countAfterBackup + 100, "ingest went on after the backup");
        await stop.CancelAsync();
        await Task.WhenAll(devices);
        return before;
    }

    /// <summary>A fresh server on the copy finds every reading acknowledged before the backup, each once.</summary>
    private static async Task AssertRestoresAsync(string copy, List<long> acknowledgedBeforeBackup)
    {
        await using var restored = LiveServer.Start(databasePath: copy);
        using var restoredHttp = restored.CreateNetworkClient();
        var readings = await restoredHttp.GetFromJsonAsync<Reading[]>("/api/sensors/backed-up/readings?limit=100000");
        var restoredIds = readings!.Select(reading => reading.DeviceId!.Value).ToHashSet();
        var lost = acknowledgedBeforeBackup.Except(restoredIds).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} readings acknowledged before the backup are missing from it");
        Assert.Equal(restoredIds.Count, readings!.Length);
    }

    /// <summary>A database file with <paramref name="mebibytes"/> MiB of random bytes in a table of its own, beside what the server adds.</summary>
    private static async Task FillAsync(string path, int mebibytes)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var fill = connection.CreateCommand();
        fill.CommandText = string.Create(CultureInfo.InvariantCulture, $"""
            CREATE TABLE filler (b BLOB);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {mebibytes})
            INSERT INTO filler SELECT randomblob(1048576) FROM n;
            """);
        await fill.ExecuteNonQueryAsync();
    }

    private static string? DownloadName(HttpResponseMessage response) =>
        response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"');

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
