using BlazorIot.Server.Live;
using BlazorIot.Server.Storage;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Import;

/// <summary>Imports into SQLite (<see cref="SqliteImportTarget"/>).</summary>
public sealed class SqliteReadingImport(
    SqliteDatabase database, SqliteWriteTurns turns, StoreFileWatch fileWatch,
    ReadingStore store, SensorHub hub, IOptions<LiveOptions> live, IOptions<ImportOptions> options, TimeProvider time)
    : ReadingImport(store, hub, live, options, time)
{
    protected override async Task<ImportTarget> OpenAsync(string sensor, long created, CancellationToken cancellationToken) =>
        await SqliteImportTarget.OpenAsync(database, turns, fileWatch, sensor, created, cancellationToken);
}
