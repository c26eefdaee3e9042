using System.Buffers;
using System.Buffers.Binary;

namespace BlazorIot.Server.Import;

/// <summary>
/// The rows of one import that passed the checks, kept in a temporary file until the whole file is
/// known to be valid, so the server's memory stays the same for a file of any size. Fixed records
/// of 32 bytes: timestamp, value, receive time, device id (-1 for none). The file is deleted when
/// the spool is disposed, whichever way the import ended.
/// </summary>
public sealed class ImportSpool : IAsyncDisposable
{
    public const int RecordBytes = 32;
    private const int BufferBytes = 2048 * RecordBytes;
    private const long NoDeviceId = -1;

    private readonly FileStream file;
    private readonly byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
    private int buffered;

    private ImportSpool(FileStream file) => this.file = file;

    /// <summary>How many rows were added.</summary>
    public long Count { get; private set; }

    /// <summary>A new, empty spool file in <paramref name="folder"/> (the system's temporary folder when null or empty).</summary>
    public static ImportSpool Create(string? folder)
    {
        folder = string.IsNullOrWhiteSpace(folder) ? Path.GetTempPath() : folder;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"blazoriot-import-{Guid.NewGuid():N}.spool");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 0,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous | FileOptions.SequentialScan,
        };
        if (!OperatingSystem.IsWindows())
        {
            // A shared temporary folder: the readings being imported are nobody else's to read.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new ImportSpool(new FileStream(path, options));
    }

    /// <summary>
    /// Adds a row. Called from the parser's synchronous loop: a full buffer is written at once
    /// (64 KiB into the page cache), so no row is ever held beyond it.
    /// </summary>
    public void Add(in ImportRow row)
    {
        var record = buffer.AsSpan(buffered, RecordBytes);
        BinaryPrimitives.WriteInt64LittleEndian(record, row.Timestamp);
        BinaryPrimitives.WriteDoubleLittleEndian(record[8..], row.Value);
        BinaryPrimitives.WriteInt64LittleEndian(record[16..], row.Received);
        BinaryPrimitives.WriteInt64LittleEndian(record[24..], row.DeviceId ?? NoDeviceId);
        buffered += RecordBytes;
        Count++;
        if (buffered == BufferBytes)
        {
            file.Write(buffer, 0, buffered);
            buffered = 0;
        }
    }

    /// <summary>Writes what is buffered and goes back to the first row, for <see cref="ReadAsync"/>.</summary>
    public async Task RewindAsync(CancellationToken cancellationToken)
    {
        if (buffered > 0)
        {
            await file.WriteAsync(buffer.AsMemory(0, buffered), cancellationToken);
            buffered = 0;
        }
        file.Position = 0;
    }

    /// <summary>Fills <paramref name="batch"/> with the next rows; returns how many (0 at the end).</summary>
    public async Task<int> ReadAsync(ImportBatch batch, CancellationToken cancellationToken)
    {
        batch.Count = 0;
        while (batch.Count < batch.Capacity)
        {
            var wanted = Math.Min(BufferBytes, (batch.Capacity - batch.Count) * RecordBytes);
            var read = await file.ReadAtLeastAsync(buffer.AsMemory(0, wanted), wanted, throwOnEndOfStream: false, cancellationToken);
            for (var at = 0; at + RecordBytes <= read; at += RecordBytes)
            {
                var record = buffer.AsSpan(at, RecordBytes);
                var i = batch.Count++;
                batch.Timestamps[i] = BinaryPrimitives.ReadInt64LittleEndian(record);
                batch.Values[i] = BinaryPrimitives.ReadDoubleLittleEndian(record[8..]);
                batch.Received[i] = BinaryPrimitives.ReadInt64LittleEndian(record[16..]);
                var deviceId = BinaryPrimitives.ReadInt64LittleEndian(record[24..]);
                batch.DeviceIds[i] = deviceId == NoDeviceId ? null : deviceId;
            }
            if (read < wanted)
            {
                break;
            }
        }
        return batch.Count;
    }

    public async ValueTask DisposeAsync()
    {
        var path = file.Name;
        await file.DisposeAsync();
        // DeleteOnClose already removed it; this is for a platform that did not.
        File.Delete(path);
        ArrayPool<byte>.Shared.Return(buffer);
    }
}
