namespace BlazorIot.Shared.Readings;

/// <summary>One accepted sensor value.</summary>
/// <param name="Sequence">Server-assigned, strictly increasing across all sensors; never reused.</param>
/// <param name="Sensor">The sensor id (see <see cref="SensorId"/>).</param>
/// <param name="Value">A finite number.</param>
/// <param name="Timestamp">When the value was measured (the server's receive time when the device sends none).</param>
public sealed record Reading(long Sequence, string Sensor, double Value, DateTimeOffset Timestamp);
