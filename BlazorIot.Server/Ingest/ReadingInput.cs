namespace BlazorIot.Server.Ingest;

/// <summary>A reading as a device sent it, checked: a valid sensor id, a finite value, a plausible timestamp.</summary>
public sealed record ReadingInput(string Sensor, double Value, DateTimeOffset? Timestamp = null, long? DeviceId = null);
