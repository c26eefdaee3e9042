namespace BlazorIot.Firmware.DeviceCheck;

/// <summary>What the device-layer check built and found: no problems means the firmware compiles clean.</summary>
public sealed record CheckReport(IReadOnlyList<BuiltLibrary> Libraries, IReadOnlyList<string> Problems, int SourceFiles, int Errors, int Warnings)
{
    public bool Passed => Problems.Count == 0;

    public void WriteTo(TextWriter output)
    {
        output.WriteLine("reference assemblies, each built from its own sources:");
        foreach (var library in Libraries.OrderBy(l => l.Package.Id, StringComparer.Ordinal))
        {
            output.WriteLine($"  {library.Package,-48} {library.Identity}  <- {library.Origin}");
        }
        foreach (var problem in Problems)
        {
            output.WriteLine(problem);
        }
        output.WriteLine($"BlazorIot.Firmware (Core + Device, {SourceFiles} files): {Errors} error(s), {Warnings} warning(s), {Problems.Count} problem(s) in all: {(Passed ? "PASSED" : "FAILED")}");
    }
}
