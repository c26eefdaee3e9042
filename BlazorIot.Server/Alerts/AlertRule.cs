using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Alerts;

/// <summary>The alert state after a reading: enter above High or below Low; leave only once back inside by the hysteresis.</summary>
public static class AlertRule
{
    public static AlertKind? Next(Thresholds thresholds, AlertKind? current, double value) => current switch
    {
        AlertKind.High when thresholds.High is { } high && value > high - thresholds.Hysteresis => AlertKind.High,
        AlertKind.Low when thresholds.Low is { } low && value < low + thresholds.Hysteresis => AlertKind.Low,
        _ when thresholds.High is { } high && value > high => AlertKind.High,
        _ when thresholds.Low is { } low && value < low => AlertKind.Low,
        _ => null,
    };
}
