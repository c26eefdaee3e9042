using BenchmarkDotNet.Attributes;
using BlazorIot.Server.Live;
using BlazorIot.Shared.Legacy;
using BlazorIot.Shared.Readings;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BlazorIot.Bench.Micro;

/// <summary>
/// The per-reading hot paths of the fan-out engine. The allocation column is the point: a
/// reading costs the same bytes whether one stream or a thousand are open.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private readonly Reading[] window = Enumerable.Range(0, LegacySnapshot.Size)
        .Select(i => new Reading(i + 1, "luminosity", 400 + i, DateTimeOffset.UnixEpoch.AddSeconds(i))).ToArray();

    private SensorHub hub = null!;
    private FrameSubscriber[] streams = [];
    private long sequence;

    /// <summary>Open snapshot streams on the sensor being published.</summary>
    [Params(1, 1000)]
    public int Streams { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        hub = new SensorHub(Options.Create(new LiveOptions()), TimeProvider.System, NullLogger<SensorHub>.Instance);
        streams = Enumerable.Range(0, Streams).Select(_ => hub.SubscribeSnapshots("luminosity", TimeSpan.FromHours(1))).ToArray();
        sequence = 0;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var stream in streams)
        {
            stream.Dispose();
        }
    }

    /// <summary>One reading as a <c>/api/stream</c> frame (once per reading, shared by all its streams).</summary>
    [Benchmark]
    public byte[] EncodeReadingFrame() => ReadingFrame.Encode(window[^1]);

    /// <summary>The ten newest readings as a <c>/connexion</c> snapshot frame (once per reading, shared).</summary>
    [Benchmark]
    public byte[] EncodeSnapshotFrame() => LegacySnapshot.From(window, TimeZoneInfo.Utc).ToSseFrame();

    /// <summary>
    /// Publish: window update, snapshot frame, and a hand-off to every open stream, which then
    /// takes its batch as its writer would (the socket write itself is Kestrel's).
    /// </summary>
    [Benchmark]
    public int PublishAndTake()
    {
        hub.Publish(new Reading(++sequence, "luminosity", sequence % 1000, DateTimeOffset.UnixEpoch.AddSeconds(sequence)));
        var bytes = 0;
        foreach (var stream in streams)
        {
            using var batch = stream.TakeBatch();
            bytes += batch.Memory.Length;
        }
        return bytes;
    }
}
