namespace BlazorIot.Server.Security;

/// <summary>A device key as stored: never the key itself, only a salted hash of its secret.</summary>
/// <param name="Sensors">The sensors it may write; null for any.</param>
/// <param name="Admin">
/// A management key: it may use the write API (<see cref="AdminAccess.Policy"/>) and also send readings
/// for any sensor. Admin keys are never limited to sensors, and do not close open ingest.
/// </param>
public sealed record DeviceKey(string Id, string Name, byte[] Salt, byte[] Hash, IReadOnlySet<string>? Sensors, DateTimeOffset Created, DateTimeOffset? Revoked, bool Admin = false)
{
    public bool Allows(string sensor) => Sensors is null || Sensors.Contains(sensor);
}
