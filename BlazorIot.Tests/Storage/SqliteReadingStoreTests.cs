using BlazorIot.Server.Storage;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Storage;

public sealed class SqliteReadingStoreTests : ReadingStoreContract
{
    protected override Task<LiveServer> StartAsync(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        Task.FromResult(LiveServer.Start(time, settings));

    [Fact]
    public async Task A_new_store_gets_the_whole_schema_once_and_a_newer_schema_is_refused()
    {
        var path = LiveServer.NewDatabasePath();
        try
        {
            await using (var server = LiveServer.Start(databasePath: path))
            {
                await using var connection = await server.Services.GetRequiredService<SqliteDatabase>().OpenAsync(CancellationToken.None);
                Assert.Equal(SchemaMigrations.Latest, await SchemaMigrations.CurrentVersionAsync(connection, CancellationToken.None));
                Assert.Equal(SchemaMigrations.Latest, await SchemaMigrations.ApplyAsync(connection, CancellationToken.None));
                await using var mode = connection.CreateCommand();
                mode.CommandText = "PRAGMA journal_mode;";
                Assert.Equal("wal", await mode.ExecuteScalarAsync());
            }

            await using (var connection = new SqliteConnection($"Data Source={path}"))
            {
                await connection.OpenAsync();
                await using var bump = connection.CreateCommand();
                bump.CommandText = $"PRAGMA user_version = {SchemaMigrations.Latest + 1};";
                await bump.ExecuteNonQueryAsync();
                var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SchemaMigrations.ApplyAsync(connection, CancellationToken.None));
                Assert.Contains("newer than this server knows", error.Message);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
