using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;

namespace BlazorIot.Bench.Import;

/// <summary>
/// The import benchmark's file, written as it is sent, never held whole: <c>timestamp,value,id</c>,
/// timestamps as our export writes them (ISO 8601, milliseconds, Z) a second apart from
/// <see cref="Start"/>, value <c>i % 1000 + 0.5</c>, device id <c>i</c>.
/// </summary>
internal sealed class GeneratedImportFile : HttpContent
{
    private const int ChunkBytes = 64 * 1024;
    private static readonly byte[] Header = "timestamp,value,id\n"u8.ToArray();
    private readonly int rows;

    public GeneratedImportFile(int rows, DateTimeOffset start)
    {
        this.rows = rows;
        Start = start;
        Headers.ContentType = new MediaTypeHeaderValue("text/csv");
    }

    public DateTimeOffset Start { get; }

    /// <summary>Bytes sent so far.</summary>
    public long Sent { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            Header.CopyTo(chunk, 0);
            var used = Header.Length;
            for (var i = 0; i < rows; i++)
            {
                if (used > ChunkBytes - 64)
                {
                    await stream.WriteAsync(chunk.AsMemory(0, used));
                    Sent += used;
                    used = 0;
                }
                used += Row(chunk.AsSpan(used), i);
            }
            await stream.WriteAsync(chunk.AsMemory(0, used));
            Sent += used;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private int Row(Span<byte> into, int i)
    {
        Start.AddSeconds(i).UtcDateTime.TryFormat(into, out var written, "yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        into[written++] = (byte)',';
        Utf8Formatter.TryFormat(i % 1000, into[written..], out var n);
        written += n;
        ".5,"u8.CopyTo(into[written..]);
        written += 3;
        Utf8Formatter.TryFormat(i, into[written..], out n);
        written += n;
        into[written++] = (byte)'\n';
        return written;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
