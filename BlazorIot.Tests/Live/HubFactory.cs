using BlazorIot.Server.Live;
using BlazorIot.Shared.Readings;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Live;

internal static class HubFactory
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 17, 2, 1, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    public static SensorHub Create(TimeProvider time, int windowSize = 10) =>
        new(Options.Create(new LiveOptions { WindowSize = windowSize }), time, NullLogger<SensorHub>.Instance);

    /// <summary>Publishes as the store's writer does: the next sequence id, after commit.</summary>
    public static Reading Publish(this SensorHub hub, string sensor, double value, DateTimeOffset timestamp)
    {
        var reading = new Reading(hub.LastSequence + 1, sensor, value, timestamp);
        hub.Publish(reading);
        return reading;
    }
}
