namespace BlazorIot.Firmware.DeviceCheck;

/// <summary>A reference assembly built from a package's sources at its tag.</summary>
/// <param name="BuiltAgainst">The package versions its own project referenced when it was built.</param>
public sealed record BuiltLibrary(PackagePin Package, string AssemblyPath, string Identity, string Origin, IReadOnlyList<PackagePin> BuiltAgainst, IReadOnlyList<PackagePin> NuspecDependencies);
