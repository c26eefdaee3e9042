using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Storage;

/// <summary>The result of a rename: its outcome and, once renamed, the sensor under its new id.</summary>
public sealed record SensorRename(RenameOutcome Outcome, SensorInfo? Sensor = null);
