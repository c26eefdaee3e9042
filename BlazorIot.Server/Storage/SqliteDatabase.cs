using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Storage;

/// <summary>Opens connections to the store's SQLite file, each set up the same way (WAL, full sync, busy timeout).</summary>
public sealed class SqliteDatabase
{
    private readonly string connectionString;

    public SqliteDatabase(IOptions<StorageOptions> options, IHostEnvironment environment)
    {
        var path = System.IO.Path.GetFullPath(options.Value.SqlitePath, environment.ContentRootPath);
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // WAL lets readers run beside the writer; FULL makes each commit durable before it is acknowledged.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
