namespace BlazorIot.Server.Security;

/// <summary>A device key as stored: never the key itself, only a salted hash of its secret.</summary>
/// <param name="Sensors">The sensors it may write; null for any.</param>
public sealed record DeviceKey(string Id, string Name, byte[] Salt, byte[] Hash, IReadOnlySet<string>? Sensors, DateTimeOffset Created, DateTimeOffset? Revoked)
{
    public bool Allows(string sensor) => Sensors is null || Sensors.Contains(sensor);
}
