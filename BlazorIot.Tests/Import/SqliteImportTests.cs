using BlazorIot.Server.Storage;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Import;

public sealed class SqliteImportTests : ImportContract
{
    protected override Task<LiveServer> StartAsync(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        Task.FromResult(LiveServer.Start(time, settings));

    protected override async Task<long> ScalarAsync(LiveServer server, string sql)
    {
        await using var connection = await server.Services.GetRequiredService<SqliteDatabase>().OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync() is long value ? value : 0;
    }
}
