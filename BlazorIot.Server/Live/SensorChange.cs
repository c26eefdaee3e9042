using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Live;

/// <summary>Something that happened to a sensor other than a new reading, as the dashboards follow it.</summary>
/// <param name="Sensor">The sensor it happened to (for a rename, its old id).</param>
/// <param name="RenamedTo">The new id, for <see cref="SensorChangeKind.Renamed"/>.</param>
/// <param name="Info">The sensor as it is now, for <see cref="SensorChangeKind.Described"/> and <see cref="SensorChangeKind.Renamed"/>.</param>
public sealed record SensorChange(SensorChangeKind Kind, string Sensor, string? RenamedTo = null, SensorInfo? Info = null);

public enum SensorChangeKind
{
    /// <summary>Its name, unit, decimals or description changed.</summary>
    Described,

    /// <summary>Its readings, thresholds, alerts and description moved to <see cref="SensorChange.RenamedTo"/>.</summary>
    Renamed,

    /// <summary>It was deleted: it leaves every view; its readings are being removed.</summary>
    Deleted,

    /// <summary>Readings were added to its history (an import): views of past ranges should reload.</summary>
    HistoryChanged,
}
