using System.Diagnostics.Metrics;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>What one meter's counter counted with <c>reason=stalled</c> (not another test's meter, running alongside).</summary>
public sealed class StalledCount : IDisposable
{
    private readonly MeterListener listener = new();
    private long value;

    public StalledCount(Meter meter, string instrumentName)
    {
        listener.InstrumentPublished = (instrument, listening) =>
        {
            if (instrument.Meter == meter && instrument.Name == instrumentName)
            {
                listening.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "reason", Value: "stalled" })
                {
                    Interlocked.Add(ref value, measurement);
                }
            }
        });
        listener.Start();
    }

    public long Value => Interlocked.Read(ref value);

    public void Dispose() => listener.Dispose();
}
