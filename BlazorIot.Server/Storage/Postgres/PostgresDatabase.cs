using Npgsql;

namespace BlazorIot.Server.Storage.Postgres;

/// <summary>The shared PostgreSQL database (<c>ConnectionStrings:Postgres</c>): one pooled data source for the instance.</summary>
public sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    public PostgresDatabase(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("Storage:Provider is postgres but ConnectionStrings:Postgres is not set.");
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Location = $"postgres://{builder.Host}:{builder.Port}/{builder.Database}";
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Host, port and database, never the password.</summary>
    public string Location { get; }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => DataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    public void Dispose() => DataSource.Dispose();
}
