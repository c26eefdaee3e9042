using BlazorIot.Server.Operations;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Live;

/// <summary>
/// Runs a gen1 (young generations) collection in the quiet gap after a burst of publications, so the
/// collector's budget is fresh when the next reading wakes every open dashboard at once.
/// </summary>
/// <remarks>
/// A reading makes each open dashboard render and send an update, all in one burst: at 1,000
/// dashboards that is about 15 MB of short-lived objects, about one gen0 budget. Left alone, the
/// collector ran inside most bursts and its 30–40 ms pause (mostly the walk through long-lived
/// circuit state) landed in front of the slowest updates. Collecting once the hub has been quiet
/// moves that pause into the gap. With readings closer together than <see
/// cref="QuietCollectionOptions.QuietAfter"/> there is no gap and nothing is induced. The
/// collection runs on the pool thread that checks, as an allocation would have run it on whichever
/// thread allocated; it suspends every thread either way.
/// </remarks>
public sealed class QuietCollector : BackgroundService
{
    private readonly SensorHub hub;
    private readonly TimeProvider time;
    private readonly BlazorIotMetrics? metrics;
    private readonly QuietCollectionOptions options;
    private readonly long minimumAllocated;
    private readonly SemaphoreSlim published = new(0, 1);
    private long lastPublication;
    private long handledPublication;
    private long allocatedAtCollection;
    private int collections;

    public QuietCollector(SensorHub hub, IOptions<QuietCollectionOptions> options, TimeProvider time, BlazorIotMetrics? metrics = null)
    {
        this.hub = hub;
        this.time = time;
        this.metrics = metrics;
        this.options = options.Value;
        minimumAllocated = (long)this.options.MinimumAllocatedMegabytes << 20;
        allocatedAtCollection = GC.GetTotalAllocatedBytes();
    }

    /// <summary>Collections this service has run.</summary>
    public int Collections => Volatile.Read(ref collections);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }
        using var watch = Watch();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (Check() is { } wait)
            {
                await Task.Delay(wait, time, stoppingToken);
            }
            else
            {
                await published.WaitAsync(stoppingToken);
            }
        }
    }

    /// <summary>Notes every publication from now on; dispose to stop.</summary>
    internal IDisposable Watch() => hub.SubscribeAll(_ =>
    {
        Volatile.Write(ref lastPublication, time.GetTimestamp());
        // The hub calls handlers one publication at a time, so this check and release do not race each other.
        if (published.CurrentCount == 0)
        {
            published.Release();
        }
    });

    /// <summary>
    /// Collects if the hub has been quiet long enough after a publication not yet handled and
    /// enough was allocated since the last collection run here.
    /// </summary>
    /// <returns>How long to wait before checking again; null when nothing is pending until the next publication.</returns>
    internal TimeSpan? Check()
    {
        var last = Volatile.Read(ref lastPublication);
        if (last == handledPublication)
        {
            return null;
        }
        var quietFor = time.GetElapsedTime(last);
        if (quietFor < options.QuietAfter)
        {
            return options.QuietAfter - quietFor;
        }
        handledPublication = last;
        if (GC.GetTotalAllocatedBytes() - allocatedAtCollection >= minimumAllocated)
        {
            GC.Collect(1, GCCollectionMode.Forced, blocking: true);
            allocatedAtCollection = GC.GetTotalAllocatedBytes();
            Interlocked.Increment(ref collections);
            metrics?.QuietCollected();
        }
        return null;
    }

    public override void Dispose()
    {
        published.Dispose();
        base.Dispose();
    }
}
