using BlazorIot.Server.Live;
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
}
