using BlazorIot.Server.Hosting;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BlazorIot.Server.Storage;

/// <summary>Why the store's SQLite file cannot be used, as the operator must read it: the file or folder by name, and what to do.</summary>
public static class SqliteFileFault
{
    /// <param name="fileExisted">Whether the file was there before this open: SQLite says "cannot open" both for a file it may not open and for one it may not create.</param>
    public static StartupException Explain(string path, SqliteException exception, bool fileExisted = true)
    {
        var said = exception.Message.TrimEnd('.');
        var name = Path.GetFileName(path);
        return (exception.SqliteErrorCode & 0xFF) switch
        {
            raw.SQLITE_CORRUPT or raw.SQLITE_NOTADB => new StartupException(
                $"{path} is not a SQLite database, or it is damaged ({said}). It has been left exactly as it was. "
                + "Restore it from a backup, or move it aside to start with an empty store.", exception),
            raw.SQLITE_READONLY => ReadOnly(path, exception),
            raw.SQLITE_CANTOPEN when !fileExisted => new StartupException(
                $"Cannot create the database {path}: the folder {Path.GetDirectoryName(path)} does not let this user create files. "
                + "Make it writable, or set Storage:SqlitePath to a writable place.", exception),
            raw.SQLITE_CANTOPEN => new StartupException(
                $"Cannot open {path} ({said}). It must be a file this user can read and write, in a folder it can write "
                + $"(SQLite keeps {name}-wal and {name}-shm beside it).", exception),
            raw.SQLITE_FULL => new StartupException($"The disk holding {path} is full. Free some space, then start again.", exception),
            raw.SQLITE_BUSY or raw.SQLITE_LOCKED => new StartupException($"{path} is locked by another program ({said}). Stop it, then start again.", exception),
            _ => new StartupException($"Cannot use {path} ({said}).", exception),
        };
    }

    /// <summary>A file SQLite opened for reading only: refused, since every write would fail.</summary>
    public static StartupException ReadOnly(string path, Exception? cause = null)
    {
        var name = Path.GetFileName(path);
        var message = $"{path} can be read but not written (a read-only file, folder or file system). The server does not start "
            + $"rather than refuse every reading: make the file and its folder writable by this user (SQLite writes {name}-wal and "
            + $"{name}-shm beside it), or set Storage:SqlitePath to a writable place.";
        return cause is null ? new StartupException(message) : new StartupException(message, cause);
    }
}
