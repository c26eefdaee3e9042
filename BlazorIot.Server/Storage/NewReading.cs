namespace BlazorIot.Server.Storage;

/// <summary>A checked reading on its way into the store.</summary>
/// <param name="Timestamp">The device's time, or <paramref name="Received"/> when it sent none.</param>
public sealed record NewReading(string Sensor, double Value, DateTimeOffset Timestamp, DateTimeOffset Received, long? DeviceId);
