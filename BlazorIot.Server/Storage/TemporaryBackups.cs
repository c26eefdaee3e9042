namespace BlazorIot.Server.Storage;

/// <summary>
/// Copies of the SQLite store made for download (<c>GET /api/backup</c>), kept in a private folder of
/// the system's temporary directory (readable by this user only, beside nothing anyone serves or
/// backs up), each removed once its stream is closed; the folder goes when the server stops.
/// </summary>
public sealed partial class TemporaryBackups(SqliteDatabase database, ILogger<TemporaryBackups> logger) : IDisposable
{
    // A failure to create it (a full disk) is not remembered: the next backup tries again.
    private readonly Lazy<string> folder = new(() => Directory.CreateTempSubdirectory("blazoriot-backups-").FullName, LazyThreadSafetyMode.PublicationOnly);

    /// <summary>The private folder; created by the first backup.</summary>
    public string Folder => folder.Value;

    /// <summary>A consistent copy of the store, open for reading from its start; closing the stream removes the file.</summary>
    public async Task<FileStream> TakeAsync(CancellationToken cancellationToken)
    {
        var file = Path.Combine(Folder, $"{Guid.NewGuid():N}.db");
        try
        {
            await SqliteBackup.CopyAsync(database, file, cancellationToken);
            return new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1 << 16,
                FileOptions.Asynchronous | FileOptions.SequentialScan | FileOptions.DeleteOnClose);
        }
        catch
        {
            File.Delete(file);
            File.Delete(file + "-journal");
            throw;
        }
    }

    public void Dispose()
    {
        if (!folder.IsValueCreated)
        {
            return;
        }
        try
        {
            Directory.Delete(folder.Value, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogNotRemoved(folder.Value, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The temporary backup folder {Folder} could not be removed.")]
    private partial void LogNotRemoved(string folder, Exception exception);
}
