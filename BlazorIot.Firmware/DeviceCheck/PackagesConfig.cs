using System.Xml.Linq;

namespace BlazorIot.Firmware.DeviceCheck;

/// <summary>The packages a nanoFramework project restores, from its packages.config (development-only ones left out).</summary>
public static class PackagesConfig
{
    public static IReadOnlyList<PackagePin> Read(string text)
    {
        return XDocument.Parse(text).Root!
            .Elements("package")
            .Where(p => (string?)p.Attribute("developmentDependency") != "true")
            .Select(p => new PackagePin((string?)p.Attribute("id") ?? "", (string?)p.Attribute("version") ?? ""))
            .ToArray();
    }
}
