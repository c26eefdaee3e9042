using BlazorIot.Shared.Readings;

namespace BlazorIot.Shared.Charts;

/// <summary>
/// A point as Chart.js takes it with <c>parsing: false</c>: <c>x</c> in Unix milliseconds, <c>y</c> the value.
/// </summary>
public readonly record struct ChartPoint(long X, double Y)
{
    public static ChartPoint From(Reading reading) => new(reading.Timestamp.ToUnixTimeMilliseconds(), reading.Value);
}
