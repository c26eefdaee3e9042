using BlazorIot.Server.Hosting;
using Npgsql;

namespace BlazorIot.Server.Storage.Postgres;

/// <summary>The shared PostgreSQL database (<c>ConnectionStrings:Postgres</c>): one pooled data source for the instance.</summary>
public sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    public PostgresDatabase(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Postgres")
            ?? throw new StartupException("Storage:Provider is postgres but ConnectionStrings:Postgres is not set.");
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            Location = $"postgres://{(builder.Username is { Length: > 0 } user ? $"{user}@" : "")}{builder.Host}:{builder.Port}/{builder.Database}";
            DataSource = NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException exception)
        {
            // Npgsql's message names the keyword, never the password's value.
            throw new StartupException($"ConnectionStrings:Postgres is not a PostgreSQL connection string: {exception.Message}", exception);
        }
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>User, host, port and database, never the password.</summary>
    public string Location { get; }

    /// <summary>Whether <paramref name="text"/> parses as a connection string, so that a bad one is reported with the other settings.</summary>
    public static bool IsConnectionString(string text)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(text);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => DataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    public void Dispose() => DataSource.Dispose();
}
