using BlazorIot.Server.Storage.Postgres;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BlazorIot.Tests.Import;

public sealed class PostgresImportTests : ImportContract
{
    private readonly PostgresServers servers = new();

    protected override Task<LiveServer> StartAsync(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        servers.StartAsync(time, settings);

    public override async Task DisposeAsync() => await servers.DisposeAsync();

    protected override async Task<long> ScalarAsync(LiveServer server, string sql)
    {
        await using var connection = await server.Services.GetRequiredService<PostgresDatabase>().OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() is long value ? value : 0;
    }
}
