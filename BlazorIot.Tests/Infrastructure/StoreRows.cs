using System.Data.Common;
using BlazorIot.Server.Storage;
using BlazorIot.Server.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>Asks a server's store directly, whichever provider it runs on, what the API cannot show: rows that are hidden.</summary>
public static class StoreRows
{
    /// <summary>The one number a query gives; the SQL must read alike in SQLite and PostgreSQL (literals, no parameters).</summary>
    public static async Task<long> CountAsync(LiveServer server, string sql)
    {
        await using var connection = await OpenAsync(server);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every row of a sensor, hidden or not.</summary>
    public static Task<long> ReadingsAsync(LiveServer server, string sensor) =>
        CountAsync(server, $"SELECT COUNT(*) FROM readings WHERE sensor = '{sensor}'");

    public static Task<long> PendingRemovalsAsync(LiveServer server) =>
        CountAsync(server, "SELECT COUNT(*) FROM sensor_removals");

    private static async Task<DbConnection> OpenAsync(LiveServer server) =>
        server.Services.GetRequiredService<ReadingStore>() is SqliteReadingStore sqlite
            ? await sqlite.Database.OpenAsync(CancellationToken.None)
            : await server.Services.GetRequiredService<PostgresDatabase>().OpenAsync(CancellationToken.None);
}
