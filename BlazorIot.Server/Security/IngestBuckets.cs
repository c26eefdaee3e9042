using System.Collections.Concurrent;
using BlazorIot.Server.Ingest;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Security;

/// <summary>
/// The ingest token buckets, one per device key or client address, shared by every path a
/// reading can come in by (the HTTP endpoints' rate-limiting policy and the original device's
/// direct path), so a device gets <c>Ingest:RequestsPerSecond</c> in all, not per path. One
/// timer refills every bucket each second and drops the full ones (a full bucket is the same as a
/// new one), so a stream of new addresses does not grow memory and no bucket owns a timer.
/// </summary>
public sealed class IngestBuckets : IDisposable
{
    private static readonly TimeSpan RefillEvery = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, IngestBucket> buckets = new(StringComparer.Ordinal);
    private readonly int burst;
    private readonly int perSecond;
    private readonly ITimer refill;

    public IngestBuckets(IOptions<IngestOptions> options, TimeProvider time)
    {
        burst = options.Value.Burst;
        perSecond = options.Value.RequestsPerSecond;
        refill = time.CreateTimer(static state => ((IngestBuckets)state!).Refill(), this, RefillEvery, RefillEvery);
    }

    /// <summary>Buckets held now: those not full.</summary>
    public int Count => buckets.Count;

    /// <summary>Takes <paramref name="count"/> tokens from the partition's bucket, if it has them.</summary>
    public bool TryTake(string partition, int count = 1) =>
        buckets.GetOrAdd(partition, static (_, limit) => new IngestBucket(limit), burst).TryTake(count);

    /// <summary>True while the partition's bucket is not full (a full one is dropped and counts as idle).</summary>
    public bool InUse(string partition) => buckets.ContainsKey(partition);

    private void Refill()
    {
        foreach (var (partition, bucket) in buckets)
        {
            bucket.Refill(perSecond);
            if (bucket.IsFull)
            {
                // A take racing with this removal spends a token of a bucket no one keeps: harmless.
                buckets.TryRemove(new KeyValuePair<string, IngestBucket>(partition, bucket));
            }
        }
    }

    public void Dispose() => refill.Dispose();
}
