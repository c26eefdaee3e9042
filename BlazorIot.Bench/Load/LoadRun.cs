using System.Diagnostics;

namespace BlazorIot.Bench.Load;

/// <summary>
/// What one load run shares between its ingest workers and its subscribers: the value each
/// reading carries (<see cref="Base"/> + its index, so every delivery is matched to its send),
/// the instant each was sent, and the counters.
/// </summary>
internal sealed class LoadRun(long capacity, long valueBase)
{
    private readonly long[] sentAt = new long[capacity];
    private long nextIndex = -1;
    private long acknowledged;
    private long highestAcknowledged = -1;

    public long Base { get; } = valueBase;

    public long Capacity { get; } = capacity;

    public LatencyHistogram IngestLatency { get; } = new();

    public LatencyHistogram EndToEnd { get; } = new();

    public ReadingSpread Spread { get; } = new();

    public long Requests;

    /// <summary>Requests that failed: an answer other than 2xx, or the connection failed.</summary>
    public long Failures;

    /// <summary>Requests answered 2xx.</summary>
    public long Answered2xx;

    /// <summary>Requests answered with a status other than 2xx (the rest of <see cref="Failures"/> lost their connection).</summary>
    public long AnsweredOther;

    /// <summary>Readings acknowledged by the server (2xx).</summary>
    public long Acknowledged => Interlocked.Read(ref acknowledged);

    /// <summary>Readings handed out to ingest workers so far (sent or about to be).</summary>
    public long Issued => Math.Min(Interlocked.Read(ref nextIndex) + 1, Capacity);

    public long HighestAcknowledged => Interlocked.Read(ref highestAcknowledged);

    /// <summary>The first index of the next <paramref name="count"/> readings, or -1 when the run is full.</summary>
    public long Take(int count)
    {
        var last = Interlocked.Add(ref nextIndex, count);
        return last < Capacity ? last - count + 1 : -1;
    }

    public void MarkSent(long index, int count)
    {
        var now = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            Volatile.Write(ref sentAt[index + i], now);
        }
    }

    public void MarkAcknowledged(long index, int count, long startedAt)
    {
        Interlocked.Add(ref acknowledged, count);
        IngestLatency.RecordTicks(Stopwatch.GetTimestamp() - startedAt);
        Extremes.Raise(ref highestAcknowledged, index + count - 1);
    }

    /// <summary>The index a delivered value stands for, or -1 when it is not one of this run's.</summary>
    public long IndexOf(long value)
    {
        var index = value - Base;
        return index >= 0 && index < Capacity && Volatile.Read(ref sentAt[index]) != 0 ? index : -1;
    }

    public long SentAt(long index) => Volatile.Read(ref sentAt[index]);
}
