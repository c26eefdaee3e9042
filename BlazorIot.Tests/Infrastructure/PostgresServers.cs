namespace BlazorIot.Tests.Infrastructure;

/// <summary>Servers for one test, each on its own fresh PostgreSQL database; the databases are dropped with this.</summary>
public sealed class PostgresServers : IAsyncDisposable
{
    private readonly List<PostgresTestDatabase> databases = [];

    public async Task<LiveServer> StartAsync(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await PostgresTestDatabase.CreateAsync();
        databases.Add(database);
        var merged = new Dictionary<string, string?>(database.Settings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }
        return LiveServer.Start(time, merged);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in databases)
        {
            await database.DisposeAsync();
        }
    }
}
