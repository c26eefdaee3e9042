using System.IO.Pipelines;
using BlazorIot.Server.Live;
using BlazorIot.Server.Storage;
using BlazorIot.Shared.Readings;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Import;

/// <summary>
/// A CSV file into a sensor's history, for the API's route and the dashboard's upload alike: the
/// whole file is checked first (rows spooled to a temporary file), stored only when every line is
/// valid, and then the sensor's views reload its history (nothing goes to live streams).
/// </summary>
public sealed class CsvImport(
    ReadingImport import, ReadingStore store, SensorHub hub, IOptions<ImportOptions> options, IOptions<LiveOptions> live, TimeProvider time)
{
    /// <summary>The largest file taken (<c>Import:MaxBytes</c>).</summary>
    public long MaxBytes => options.Value.MaxBytes;

    /// <summary>Checks <paramref name="file"/> and, when every line is valid, stores it into <paramref name="sensor"/>'s history.</summary>
    /// <exception cref="StoreUnavailableException">When a batch could not be stored (those before it stay stored).</exception>
    public async Task<CsvImportResult> ImportAsync(string sensor, PipeReader file, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        await using var spool = ImportSpool.Create(limits.SpoolFolder);
        var check = await CsvImportReader.ReadAsync(file, spool, time.GetUtcNow(), limits.MaxBytes, cancellationToken);
        if (check.TooLarge || check.BadLineCount > 0 || check.Rows == 0)
        {
            return new CsvImportResult(check, null);
        }
        var stored = await import.StoreAsync(sensor, spool, cancellationToken);
        if (stored.Stored > 0)
        {
            hub.HistoryChanged(sensor, await NewestAsync(sensor, cancellationToken));
        }
        return new CsvImportResult(check, new ImportSummary(sensor, check.Rows, stored.Stored, stored.Duplicates));
    }

    /// <summary>The sensor's newest stored readings by timestamp, oldest first, as its live window holds them.</summary>
    private async Task<IReadOnlyList<Reading>> NewestAsync(string sensor, CancellationToken cancellationToken)
    {
        var newest = new List<Reading>(live.Value.WindowSize);
        await foreach (var reading in store.QueryAsync(sensor, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, live.Value.WindowSize, newestFirst: true, cancellationToken))
        {
            newest.Add(reading);
        }
        newest.Reverse();
        return newest;
    }
}
