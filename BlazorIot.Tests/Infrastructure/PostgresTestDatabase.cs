using BlazorIot.Tests.E2E;
using Npgsql;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>
/// A fresh, empty PostgreSQL database for one test, dropped afterwards. The server is found with
/// BLAZORIOT_TEST_POSTGRES (an Npgsql connection string for a role that may create databases;
/// default: the local server with the role <c>.ci/run</c> creates). Without a reachable server the
/// calling test is skipped, except under CI=true, where it fails.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    private const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=blazoriot;Password=blazoriot;Database=postgres;Timeout=5";

    private readonly string admin;

    private PostgresTestDatabase(string admin, string name)
    {
        this.admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Timeout = 15 }.ToString();
    }

    public string Name { get; }

    /// <summary>For the server under test: <c>ConnectionStrings:Postgres</c>.</summary>
    public string ConnectionString { get; }

    /// <summary>The settings that point a server at this database.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "postgres",
        ["ConnectionStrings:Postgres"] = ConnectionString,
    };

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable("BLAZORIOT_TEST_POSTGRES") is { Length: > 0 } configured ? configured : DefaultServer;
        var name = "blazoriot_test_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            await create.ExecuteNonQueryAsync();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            var why = $"No PostgreSQL for the tests ({exception.Message}); set BLAZORIOT_TEST_POSTGRES or run .ci/run, which installs and starts one.";
            if (BrowserFixture.OnCi)
            {
                Assert.Fail(why + " PostgreSQL tests are required under CI=true.");
            }
            Skip.If(true, why);
        }
        return new PostgresTestDatabase(admin, name);
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE);", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
