using System.Text.RegularExpressions;

namespace BlazorIot.Firmware.DeviceCheck;

/// <summary>A NuGet package at one exact version, as packages.config and an .nfproj's HintPath name it.</summary>
public sealed partial record PackagePin(string Id, string Version)
{
    public const string CoreLibrary = "nanoFramework.CoreLibrary";

    /// <summary>The git tag nanoFramework's release pipeline puts on the commit a package was built from.</summary>
    public string Tag => "v" + Version;

    public override string ToString() => $"{Id} {Version}";

    /// <summary>Reads "..\packages\nanoFramework.System.Net.1.11.54\lib\System.Net.dll" as the package and the file.</summary>
    public static bool TryParseHintPath(string hintPath, out PackagePin pin, out string fileName)
    {
        var match = HintPathPattern().Match(hintPath.Replace('\\', '/'));
        if (!match.Success)
        {
            pin = new PackagePin("", "");
            fileName = "";
            return false;
        }
        pin = new PackagePin(match.Groups["id"].Value, match.Groups["version"].Value);
        fileName = match.Groups["file"].Value;
        return true;
    }

    [GeneratedRegex(@"packages/(?<id>[A-Za-z][A-Za-z0-9_.-]*?)\.(?<version>\d+\.\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?)/lib/(?<file>[^/]+\.dll)$")]
    private static partial Regex HintPathPattern();
}
