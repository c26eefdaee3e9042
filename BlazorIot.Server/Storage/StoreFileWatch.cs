using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace BlazorIot.Server.Storage;

/// <summary>
/// Tells whether the SQLite file the server opened is still the one at its path. A file removed
/// (its folder deleted) or replaced while the server runs keeps taking writes through the open
/// handle, into a file a restart will never find; so once the path no longer leads to the open
/// file, the store is lost for good: health turns Unhealthy, every later ingest is refused, and
/// only a restart (which opens whatever is at the path then) brings the store back.
/// </summary>
public sealed partial class StoreFileWatch(SqliteDatabase database, ILogger<StoreFileWatch> logger) : IDisposable
{
    // SQLITE_FCNTL_HAS_MOVED: SQLite compares the open file's inode with the path's (sqlite.org/c3ref/c_fcntl_begin_atomic_write.html).
    private const int HasMovedOperation = 20;
    private const int SqliteOk = 0;

    private readonly Lock gate = new();
    private SqliteConnection? connection;
    private bool unsupported;
    private volatile bool lost;

    /// <summary>The file watched.</summary>
    public string Path => database.Path;

    /// <summary>True once the file was found removed or replaced; it stays true until the server restarts.</summary>
    public bool Lost => lost;

    /// <summary>Opens the file to watch: call once the schema is in place, before the first write.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A connection of its own, so any thread can ask without touching the writer's.
        var opened = await database.OpenAsync(cancellationToken);
        lock (gate)
        {
            connection = opened;
        }
    }

    /// <summary>
    /// Looks at the path now (one <c>stat</c>): false, and a critical log line the first time, when
    /// the file there is not the one open. Cheap enough for every group commit.
    /// </summary>
    public bool FileIsInPlace()
    {
        if (lost)
        {
            return false;
        }
        lock (gate)
        {
            if (lost)
            {
                return false;
            }
            if (connection is null || unsupported)
            {
                return true;
            }
            int moved;
            try
            {
                if (NativeMethods.sqlite3_file_control(connection.Handle!, IntPtr.Zero, HasMovedOperation, out moved) != SqliteOk)
                {
                    unsupported = true;
                    LogUnsupported(Path);
                    return true;
                }
            }
            catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
            {
                unsupported = true;
                LogUnsupported(Path);
                return true;
            }
            if (moved == 0)
            {
                return true;
            }
            lost = true;
            LogLost(Path);
            return false;
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            connection?.Dispose();
            connection = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The database file {Path} was removed or replaced while the server was running: "
        + "nothing more is stored or acknowledged, /health/ready reports Unhealthy, and ingest answers 503 until the server is restarted. "
        + "Put the file back (or restore a backup) and restart the server; readings refused meanwhile were never acknowledged, so devices send them again.")]
    private partial void LogLost(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The SQLite library cannot tell whether {Path} was removed or replaced while the server runs; that check is off.")]
    private partial void LogUnsupported(string path);

    private static class NativeMethods
    {
        // SQLitePCLRaw, under Microsoft.Data.Sqlite, does not expose sqlite3_file_control; its e_sqlite3 library exports it.
        // A null database name means "main".
        [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
        public static extern int sqlite3_file_control(SQLitePCL.sqlite3 db, IntPtr databaseName, int operation, out int value);
    }
}
