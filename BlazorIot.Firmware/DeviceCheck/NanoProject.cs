using System.Xml.Linq;

namespace BlazorIot.Firmware.DeviceCheck;

/// <summary>What the compiler needs from a nanoFramework .nfproj: its sources, symbols, language version, key and package references.</summary>
public sealed class NanoProject
{
    private static readonly XNamespace MsBuild = "http://schemas.microsoft.com/developer/msbuild/2003";

    private NanoProject(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public string AssemblyName { get; private set; } = "";

    public string? LangVersion { get; private set; }

    /// <summary>Full paths of the C# files the project compiles.</summary>
    public IReadOnlyList<string> Sources { get; private set; } = [];

    public IReadOnlyList<string> DefineConstants { get; private set; } = [];

    /// <summary>The strong-name key file, when the project signs its assembly.</summary>
    public string? KeyFile { get; private set; }

    /// <summary>Every package assembly referenced through a HintPath, mscorlib's package included.</summary>
    public IReadOnlyList<(PackagePin Package, string FileName)> References { get; private set; } = [];

    /// <summary>References whose HintPath does not point into a restored package.</summary>
    public IReadOnlyList<string> UnresolvedReferences { get; private set; } = [];

    public static NanoProject Load(string path)
    {
        var document = XDocument.Load(path);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        // The Release configuration is what a package is built from; unconditional groups apply to both.
        var properties = document.Descendants(MsBuild + "PropertyGroup")
            .Where(g => g.Attribute("Condition") is not { } condition || condition.Value.Contains("Release", StringComparison.Ordinal))
            .SelectMany(g => g.Elements())
            .ToArray();

        string? Property(string name) => properties.LastOrDefault(p => p.Name.LocalName == name)?.Value.Trim();

        var project = new NanoProject(path)
        {
            AssemblyName = Property("AssemblyName") ?? System.IO.Path.GetFileNameWithoutExtension(path),
            LangVersion = Property("LangVersion"),
            DefineConstants = properties
                .Where(p => p.Name.LocalName == "DefineConstants")
                .SelectMany(p => p.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Where(symbol => !symbol.StartsWith("$(", StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal)
                .ToArray(),
        };
        if (string.Equals(Property("SignAssembly"), "true", StringComparison.OrdinalIgnoreCase) && Property("AssemblyOriginatorKeyFile") is { Length: > 0 } key)
        {
            project.KeyFile = Resolve(directory, key);
        }
        project.Sources = document.Descendants(MsBuild + "Compile")
            .Select(c => (string?)c.Attribute("Include"))
            .Where(include => include is { Length: > 0 })
            .Select(include => Resolve(directory, include!))
            .ToArray();

        var references = new List<(PackagePin, string)>();
        var unresolved = new List<string>();
        foreach (var reference in document.Descendants(MsBuild + "Reference"))
        {
            var hintPath = reference.Element(MsBuild + "HintPath")?.Value.Trim();
            if (hintPath is not null && PackagePin.TryParseHintPath(hintPath, out var pin, out var file))
            {
                references.Add((pin, file));
            }
            else
            {
                unresolved.Add((string?)reference.Attribute("Include") ?? "(unnamed)");
            }
        }
        project.References = references;
        project.UnresolvedReferences = unresolved;
        return project;
    }

    // Projects are written on Windows, where "Rtc.cs" finds RTC.cs: resolve each part of a path the same way.
    private static string Resolve(string directory, string include)
    {
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, include.Replace('\\', '/')));
        if (File.Exists(path) || Directory.Exists(path))
        {
            return path;
        }
        var resolved = System.IO.Path.GetPathRoot(path)!;
        foreach (var part in path[resolved.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var exact = System.IO.Path.Combine(resolved, part);
            resolved = File.Exists(exact) || Directory.Exists(exact) || !Directory.Exists(resolved)
                ? exact
                : Directory.EnumerateFileSystemEntries(resolved).FirstOrDefault(e => string.Equals(System.IO.Path.GetFileName(e), part, StringComparison.OrdinalIgnoreCase)) ?? exact;
        }
        return resolved;
    }
}
