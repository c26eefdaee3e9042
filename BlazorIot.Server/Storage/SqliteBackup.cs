using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BlazorIot.Server.Storage;

/// <summary>
/// A consistent copy of the SQLite store through SQLite's online backup API, taken while the server
/// goes on committing readings. Used by the <c>backup</c> command and by <c>GET /api/backup</c>.
/// </summary>
public static class SqliteBackup
{
    // 1024 pages (4 MiB with SQLite's default page size) between two looks at the cancellation token.
    private const int PagesPerStep = 1024;

    /// <summary>Copies the store into <paramref name="target"/>, a new file.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; <paramref name="target"/> is then incomplete and the caller removes it.</exception>
    public static async Task CopyAsync(SqliteDatabase database, string target, CancellationToken cancellationToken)
    {
        await using var source = await database.OpenAsync(cancellationToken);
        await using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        await copy.OpenAsync(cancellationToken);
        // The copy goes in steps so that it can stop when asked. A read transaction held across every
        // step keeps them all on one snapshot: commits made meanwhile neither restart the copy nor
        // reach it, and in WAL mode the writers are not held back by it.
        await using var snapshot = source.BeginTransaction(deferred: true);
        await using (var read = source.CreateCommand())
        {
            read.Transaction = snapshot;
            read.CommandText = "SELECT count(*) FROM sqlite_schema;";
            await read.ExecuteScalarAsync(cancellationToken);
        }
        using var backup = raw.sqlite3_backup_init(copy.Handle, "main", source.Handle, "main");
        if (backup.IsInvalid)
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_errcode(copy.Handle), copy.Handle);
        }
        int result;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            result = raw.sqlite3_backup_step(backup, PagesPerStep);
        }
        while (result == raw.SQLITE_OK);
        SqliteException.ThrowExceptionForRC(result, copy.Handle);
    }
}
