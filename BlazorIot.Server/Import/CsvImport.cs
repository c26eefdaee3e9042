using System.IO.Pipelines;
using BlazorIot.Server.Storage;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Import;

/// <summary>
/// A CSV file into a sensor's history, for the API's route and the dashboard's upload alike: the
/// whole file is checked first (rows spooled to a temporary file), stored only when every line is
/// valid, and then the sensor's views reload its history (nothing goes to live streams). A row older
/// than <c>Storage:Retention</c> is a bad line: retention would remove it as soon as it was stored.
/// </summary>
public sealed class CsvImport(ReadingImport import, IOptions<ImportOptions> options, IOptions<StorageOptions> storage, TimeProvider time)
{
    /// <summary>The largest file taken (<c>Import:MaxBytes</c>).</summary>
    public long MaxBytes => options.Value.MaxBytes;

    /// <summary>Checks <paramref name="file"/> and, when every line is valid, stores it into <paramref name="sensor"/>'s history.</summary>
    /// <exception cref="StoreUnavailableException">When a batch could not be stored (those before it stay stored).</exception>
    public async Task<CsvImportResult> ImportAsync(string sensor, PipeReader file, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        await using var spool = ImportSpool.Create(limits.SpoolFolder);
        var now = time.GetUtcNow();
        var retention = storage.Value.Retention;
        var check = await CsvImportReader.ReadAsync(file, spool, now, new ImportWindow(now - retention, retention), limits.MaxBytes, cancellationToken);
        if (check.TooLarge || check.BadLineCount > 0 || check.Rows == 0)
        {
            return new CsvImportResult(check, null);
        }
        var stored = await import.StoreAsync(sensor, spool, cancellationToken);
        return new CsvImportResult(check, new ImportSummary(sensor, check.Rows, stored.Stored, stored.Duplicates));
    }
}
