using BlazorIot.Server.Storage.Postgres;
using BlazorIot.Tests.Infrastructure;
using Npgsql;

namespace BlazorIot.Tests.Storage;

public sealed class PostgresReadingStoreTests : ReadingStoreContract
{
    private readonly PostgresServers servers = new();

    protected override Task<LiveServer> StartAsync(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        servers.StartAsync(time, settings);

    public override async Task DisposeAsync() => await servers.DisposeAsync();

    [SkippableFact]
    public async Task Instances_starting_together_apply_the_schema_once_and_a_newer_schema_is_refused()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var first = await database.OpenAsync();
        await using var second = await database.OpenAsync();

        var versions = await Task.WhenAll(
            PostgresSchemaMigrations.ApplyAsync(first, CancellationToken.None),
            PostgresSchemaMigrations.ApplyAsync(second, CancellationToken.None));

        Assert.Equal([PostgresSchemaMigrations.Latest, PostgresSchemaMigrations.Latest], versions);
        await using (var rows = new NpgsqlCommand("SELECT COUNT(*) FROM schema_version;", first))
        {
            Assert.Equal(1L, await rows.ExecuteScalarAsync());
        }
        await using (var bump = new NpgsqlCommand($"UPDATE schema_version SET version = {PostgresSchemaMigrations.Latest + 1};", first))
        {
            await bump.ExecuteNonQueryAsync();
        }
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresSchemaMigrations.ApplyAsync(second, CancellationToken.None));
        Assert.Contains("newer than this server knows", error.Message);
    }
}
