using BlazorIot.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using SQLitePCL;

namespace BlazorIot.Server.Storage;

/// <summary>
/// Opens connections to the store's SQLite file, each set up the same way (WAL, full sync, busy timeout).
/// The first open prepares the file: creates its folder and the file when missing, and refuses one
/// that is not a database, is damaged, or can only be read, with a message that names it and says
/// what to do. A store that cannot take a write stops the start rather than answer 503 to every reading.
/// </summary>
public sealed partial class SqliteDatabase : IFailedStartCleanup
{
    private readonly string connectionString;
    private readonly ILogger<SqliteDatabase> logger;
    private readonly Lazy<Task> preparation;
    private string? createdFolder;
    private bool createdFile;

    public SqliteDatabase(IOptions<StorageOptions> options, IHostEnvironment environment, ILogger<SqliteDatabase> logger)
    {
        Path = System.IO.Path.GetFullPath(options.Value.SqlitePath, environment.ContentRootPath);
        this.logger = logger;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        preparation = new Lazy<Task>(PrepareAsync);
    }

    public string Path { get; }

    /// <summary>
    /// Turns at the file's write lock among this server's own writers: the group commit, and the
    /// store's other write transactions (each batch of an import, of a background removal or of
    /// retention, a rename, a deletion). SQLite's own busy wait is not fair; with these turns a
    /// waiting commit always goes next, so ingest waits for at most one batch.
    /// </summary>
    public SqliteWriteTurns WriteTurns { get; } = new();

    /// <inheritdoc cref="InWriteTurnAsync{T}"/>
    public Task InWriteTurnAsync(Func<Task> write, CancellationToken cancellationToken) =>
        InWriteTurnAsync(async () =>
        {
            await write();
            return true;
        }, cancellationToken);

    /// <summary>Runs a write (its own connection and transaction) in this server's turn at the write lock (<see cref="WriteTurns"/>).</summary>
    public async Task<T> InWriteTurnAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        // SQLite's calls complete synchronously and block on the disk (a sync on every commit). A
        // removal, retention or import runs batch after batch with no await that yields, so without
        // this one pool thread would be held from its first batch to its last: on a two-core server
        // that kept an HTTP answer waiting for a second while a large sensor was removed. Each turn
        // starts as its own work item, queued behind the requests already waiting.
        await Task.Yield();
        await WriteTurns.EnterBulkAsync(cancellationToken);
        try
        {
            return await write();
        }
        finally
        {
            WriteTurns.ExitBulk();
        }
    }

    private string Folder => System.IO.Path.GetDirectoryName(Path)!;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var prepared = preparation.Value;
        if (!prepared.IsCompletedSuccessfully)
        {
            await prepared.WaitAsync(cancellationToken);
        }
        return await OpenConfiguredAsync(cancellationToken);
    }

    /// <summary>After a failed start: removes the file and folders this start created, unless something was stored in them.</summary>
    public async Task CleanUpAsync(CancellationToken cancellationToken)
    {
        if (!createdFile && createdFolder is null)
        {
            return;
        }
        // Pooled connections keep the file open.
        SqliteConnection.ClearPool(new SqliteConnection(connectionString));
        try
        {
            if (createdFile && File.Exists(Path))
            {
                if (await HoldsDataAsync(cancellationToken))
                {
                    LogKept(Path);
                    return;
                }
                foreach (var file in (string[])[Path, $"{Path}-wal", $"{Path}-shm", $"{Path}-journal"])
                {
                    File.Delete(file);
                }
            }
            for (var folder = Folder; createdFolder is not null && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any(); folder = System.IO.Path.GetDirectoryName(folder)!)
            {
                Directory.Delete(folder);
                if (string.Equals(folder, createdFolder, StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or SqliteException)
        {
            LogNotRemoved(Path, exception);
        }
    }

    private async Task PrepareAsync()
    {
        var missing = TopmostMissing(Folder);
        try
        {
            Directory.CreateDirectory(Folder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(
                $"Cannot create the folder {missing ?? Folder} for the database {Path} ({exception.Message.TrimEnd('.')}). "
                + "Create it with write access for this user, or set Storage:SqlitePath to a writable place.", exception);
        }
        createdFolder = missing;
        var existed = File.Exists(Path);
        try
        {
            await using var connection = await OpenConfiguredAsync(CancellationToken.None);
            if (raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
            {
                throw SqliteFileFault.ReadOnly(Path);
            }
            // A write that changes nothing proves now that the file and its -wal beside it can be written.
            var version = await SchemaMigrations.CurrentVersionAsync(connection, CancellationToken.None);
            await using var probe = connection.CreateCommand();
            probe.CommandText = $"PRAGMA user_version = {version};";
            await probe.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (SqliteException exception)
        {
            throw SqliteFileFault.Explain(Path, exception, existed);
        }
        finally
        {
            createdFile = !existed && File.Exists(Path);
        }
    }

    private async Task<SqliteConnection> OpenConfiguredAsync(CancellationToken cancellationToken)
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

    private async Task<bool> HoldsDataAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%';";
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }
        foreach (var table in tables)
        {
            await using var any = connection.CreateCommand();
            any.CommandText = $"SELECT EXISTS (SELECT 1 FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\");";
            if (Convert.ToInt64(await any.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1)
            {
                return true;
            }
        }
        return false;
    }

    private static string? TopmostMissing(string folder)
    {
        string? missing = null;
        for (var current = folder; current is not null && !Directory.Exists(current); current = System.IO.Path.GetDirectoryName(current))
        {
            missing = current;
        }
        return missing;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The start failed, but the database {Path} it created already holds data written by another program: it is kept.")]
    private partial void LogKept(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The start failed, and the database {Path} it created could not be removed.")]
    private partial void LogNotRemoved(string path, Exception exception);
}
