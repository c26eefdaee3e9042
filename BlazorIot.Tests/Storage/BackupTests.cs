using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BlazorIot.Tests.Storage;

/// <summary>The <c>backup FILE</c> command against a running server: a consistent copy while ingest goes on.</summary>
public sealed class BackupTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("blazoriot-backup-").FullName;

    [Fact]
    public async Task A_backup_taken_under_ingest_restores_every_reading_acknowledged_before_it_started()
    {
        var live = Path.Combine(folder, "live.db");
        var copy = Path.Combine(folder, "copy.db");
        var acknowledgedBeforeBackup = new List<long>();
        await using (var server = LiveServer.Start(databasePath: live))
        {
            using var http = server.CreateNetworkClient();
            var acknowledged = new ConcurrentBag<long>();
            using var stop = new CancellationTokenSource();
            // Four devices keep sending while the backup runs.
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

            acknowledgedBeforeBackup.AddRange(acknowledged);
            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = await BackupCommand.RunAsync(["backup", copy, $"--Storage:SqlitePath={live}"], output, error, CancellationToken.None);
            var countAfterBackup = acknowledged.Count;
            await Eventually.TrueAsync(() => acknowledged.Count >= countAfterBackup + 100, "ingest went on after the backup");
            await stop.CancelAsync();
            await Task.WhenAll(devices);

            Assert.True(code == 0, error.ToString());
            Assert.Contains(copy, output.ToString(), StringComparison.Ordinal);
        }

        await using var restored = LiveServer.Start(databasePath: copy);
        using var restoredHttp = restored.CreateNetworkClient();
        var readings = await restoredHttp.GetFromJsonAsync<Reading[]>("/api/sensors/backed-up/readings?limit=100000");
        var restoredIds = readings!.Select(reading => reading.DeviceId!.Value).ToHashSet();
        var lost = acknowledgedBeforeBackup.Except(restoredIds).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} readings acknowledged before the backup are missing from it");
        Assert.Equal(restoredIds.Count, readings!.Length);
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

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
