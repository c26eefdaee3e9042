using BlazorIot.Server.Live;
using BlazorIot.Server.Storage;
using BlazorIot.Server.Storage.Postgres;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Import;

/// <summary>Imports into PostgreSQL (<see cref="PostgresImportTarget"/>).</summary>
public sealed class PostgresReadingImport(
    PostgresDatabase database, PostgresFeed feed, RedisWakeUp redis,
    ReadingStore store, SensorHub hub, IOptions<LiveOptions> live, IOptions<ImportOptions> options, TimeProvider time)
    : ReadingImport(store, hub, live, options, time)
{
    protected override async Task<ImportTarget> OpenAsync(string sensor, long created, CancellationToken cancellationToken) =>
        new PostgresImportTarget(await database.OpenAsync(cancellationToken), feed, redis, sensor, created);
}
