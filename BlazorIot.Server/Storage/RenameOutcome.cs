namespace BlazorIot.Server.Storage;

/// <summary>How a rename ended.</summary>
public enum RenameOutcome
{
    /// <summary>Stored: the sensor now has the new id.</summary>
    Renamed,

    /// <summary>Nothing changed: there is no sensor with the old id.</summary>
    UnknownSensor,

    /// <summary>Nothing changed: the new id is taken and no merge was asked for.</summary>
    TargetExists,
}
