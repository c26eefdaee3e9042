using System.Net;
using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Import;

/// <summary>The temporary file an import spools its checked rows to is gone after the import, however it ended.</summary>
public sealed class ImportSpoolTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("blazoriot-spool-").FullName;

    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-3).ToUnixTimeSeconds());

    [Fact]
    public async Task The_spool_is_deleted_after_a_stored_import_a_refused_file_and_a_client_that_went_away()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Import:SpoolFolder"] = folder });
        using var client = server.CreateNetworkClient();

        using (var stored = await client.PostAsync("/api/sensors/kept/import", new GeneratedCsv(1000, Start)))
        {
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
            Assert.Empty(Directory.GetFiles(folder));
        }
        using (var refused = await CsvUpload.PostAsync(client, "refused", $"{CsvUpload.Iso(Start)},1\n{CsvUpload.Iso(Start)},x\n"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Empty(Directory.GetFiles(folder));
        }

        // A client that goes away half-way through its upload, once the server has spooled rows.
        using var gone = new CancellationTokenSource();
        var upload = new GeneratedCsv(1_000_000, Start, async _ =>
        {
            await Eventually.TrueAsync(() => Directory.GetFiles(folder).Length == 1, "the server spools the rows it has checked");
            await gone.CancelAsync();
            gone.Token.ThrowIfCancellationRequested();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.PostAsync("/api/sensors/abandoned/import", upload, gone.Token));

        await Eventually.TrueAsync(() => Directory.GetFiles(folder).Length == 0, "the abandoned import's spool is deleted");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/sensors/abandoned")).StatusCode);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
