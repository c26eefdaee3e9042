using System.Buffers;

namespace BlazorIot.Server.Live;

/// <summary>
/// What a stream writes in one go: the one pending frame as it is (shared by every subscriber), or
/// several frames copied into one pooled buffer. Dispose returns the pooled buffer.
/// </summary>
public readonly struct FrameBatch : IDisposable
{
    private readonly byte[]? buffer;
    private readonly int length;
    private readonly bool pooled;

    private FrameBatch(byte[] buffer, int length, bool pooled)
    {
        this.buffer = buffer;
        this.length = length;
        this.pooled = pooled;
    }

    /// <summary>True when the subscription has ended and there is nothing more to write.</summary>
    public bool IsEnd => buffer is null;

    public ReadOnlyMemory<byte> Memory => buffer is null ? default : buffer.AsMemory(0, length);

    internal static FrameBatch End => default;

    internal static FrameBatch Single(byte[] frame) => new(frame, frame.Length, pooled: false);

    internal static FrameBatch Join(Queue<byte[]> frames)
    {
        var total = 0;
        foreach (var frame in frames)
        {
            total += frame.Length;
        }
        var joined = ArrayPool<byte>.Shared.Rent(total);
        var at = 0;
        while (frames.TryDequeue(out var frame))
        {
            frame.CopyTo(joined, at);
            at += frame.Length;
        }
        return new FrameBatch(joined, total, pooled: true);
    }

    public void Dispose()
    {
        if (pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer!);
        }
    }
}
