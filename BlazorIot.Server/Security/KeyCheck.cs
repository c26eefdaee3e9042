namespace BlazorIot.Server.Security;

/// <summary>What the key an ingest request presented (or did not) allows.</summary>
public sealed record KeyCheck(KeyCheckStatus Status, DeviceKey? Key = null)
{
    public static readonly KeyCheck Open = new(KeyCheckStatus.Open);
    public static readonly KeyCheck Missing = new(KeyCheckStatus.Missing);
    public static readonly KeyCheck Invalid = new(KeyCheckStatus.Invalid);

    public bool Passed => Status is KeyCheckStatus.Open or KeyCheckStatus.Valid;

    /// <summary>Whether this request may write <paramref name="sensor"/>.</summary>
    public bool Allows(string sensor) => Status == KeyCheckStatus.Open || (Key?.Allows(sensor) ?? false);
}

public enum KeyCheckStatus
{
    /// <summary>No key exists and none is required: ingest is open, as in the original lab.</summary>
    Open,
    Valid,
    Missing,
    Invalid,
}
