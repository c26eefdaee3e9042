using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using BlazorIot.Server.Operations;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Mqtt;

/// <summary>What one server's <c>blazoriot.mqtt.rejected</c> counter counted, by reason (not another test's server, running alongside).</summary>
public sealed class MqttRejections : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);

    public MqttRejections(LiveServer server)
    {
        var meter = server.Services.GetRequiredService<BlazorIotMetrics>().Meter;
        listener.InstrumentPublished = (instrument, listening) =>
        {
            if (instrument.Meter == meter && instrument.Name == "blazoriot.mqtt.rejected")
            {
                listening.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, tags, _) =>
        {
            var reason = "";
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    reason = tag.Value as string ?? "";
                }
            }
            counts.AddOrUpdate(reason, measurement, (_, count) => count + measurement);
        });
        listener.Start();
    }

    public long this[string reason] => counts.GetValueOrDefault(reason);

    /// <summary>Every reason counted so far, with its count.</summary>
    public IReadOnlyDictionary<string, long> All => new Dictionary<string, long>(counts, StringComparer.Ordinal);

    public void Dispose() => listener.Dispose();
}
