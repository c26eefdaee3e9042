namespace BlazorIot.Firmware.DeviceCheck;

/// <summary>A package whose sources could not be found or compiled; the message says which and why.</summary>
public sealed class LibraryBuildException(string message) : Exception(message);
