using System.Security.Cryptography;
using BlazorIot.Firmware.DeviceCheck;

namespace BlazorIot.Tests.Firmware;

/// <summary>
/// A folder laid out like nanoFramework's library repositories, made for a test: git
/// repositories whose tags hold a nuspec, an .nfproj signed with the repository's own key,
/// version.json and sources, and a firmware project that pins some of their versions.
/// </summary>
internal sealed class NanoSources : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("blazoriot-nano-sources-");

    public string SourcesFolder => Path.Combine(root.FullName, "sources");

    public string FirmwareFolder => Path.Combine(root.FullName, "firmware");

    /// <summary>Commits <paramref name="files"/> as a library's project at <paramref name="version"/>, tagged as nanoFramework's pipeline tags a release.</summary>
    public string Release(string repository, string packageId, string assemblyName, string version, string precision, IReadOnlyDictionary<string, string> files, params (string Id, string Version, string Assembly)[] dependencies)
    {
        var folder = Path.Combine(SourcesFolder, repository);
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder);
            Git(folder, "init", "-q");
            using var rsa = new RSACryptoServiceProvider(1024);
            File.WriteAllBytes(Path.Combine(folder, "key.snk"), rsa.ExportCspBlob(includePrivateParameters: true));
        }
        var project = Path.Combine(folder, assemblyName);
        Directory.CreateDirectory(project);
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(project, name), text);
        }
        var majorMinor = string.Join('.', version.Split('.').Take(2));
        File.WriteAllText(Path.Combine(folder, "version.json"), $$"""{ "version": "{{majorMinor}}", "assemblyVersion": { "precision": "{{precision}}" } }""");
        File.WriteAllText(Path.Combine(folder, packageId + ".nuspec"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
              <metadata>
                <id>{packageId}</id>
                <version>$version$</version>
                <dependencies>
                  <dependency id="nanoFramework.CoreLibrary" version="1.17.11" />
                  {string.Join("\n", dependencies.Select(d => $"<dependency id=\"{d.Id}\" version=\"{d.Version}\" />"))}
                </dependencies>
              </metadata>
              <files>
                <file src="{assemblyName}\bin\Release\{assemblyName}.dll" target="lib\{assemblyName}.dll" />
              </files>
            </package>
            """);
        File.WriteAllText(Path.Combine(project, assemblyName + ".nfproj"), Project(
            assemblyName,
            "Library",
            files.Keys,
            [("nanoFramework.CoreLibrary", "1.17.11", "mscorlib"), .. dependencies],
            "<SignAssembly>true</SignAssembly><AssemblyOriginatorKeyFile>..\\key.snk</AssemblyOriginatorKeyFile>"));
        Git(folder, "add", "-A");
        Git(folder, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", version);
        Git(folder, "tag", "v" + version);
        return Git(folder, "rev-parse", "HEAD").Trim();
    }

    /// <summary>Writes the firmware project: Device/*.cs, an .nfproj referencing <paramref name="references"/> and a packages.config pinning <paramref name="pins"/>.</summary>
    public void Firmware(IReadOnlyDictionary<string, string> deviceFiles, (string Id, string Version, string Assembly)[] references, (string Id, string Version)[] pins)
    {
        var device = Path.Combine(FirmwareFolder, "Device");
        Directory.CreateDirectory(device);
        foreach (var (name, text) in deviceFiles)
        {
            File.WriteAllText(Path.Combine(device, name), text);
        }
        File.WriteAllText(
            Path.Combine(FirmwareFolder, "Board.nfproj"),
            Project("Board", "Exe", deviceFiles.Keys.Select(f => "Device\\" + f), [("nanoFramework.CoreLibrary", "1.17.11", "mscorlib"), .. references], "<LangVersion>9.0</LangVersion>"));
        File.WriteAllText(Path.Combine(FirmwareFolder, "packages.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <packages>
              {string.Join("\n", pins.Select(p => $"<package id=\"{p.Id}\" version=\"{p.Version}\" targetFramework=\"netnano1.0\" />"))}
            </packages>
            """);
    }

    public void Dispose() => root.Delete(recursive: true);

    private static string Project(string assemblyName, string outputType, IEnumerable<string> compile, IEnumerable<(string Id, string Version, string Assembly)> references, string extraProperties) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <Project ToolsVersion="15.0" DefaultTargets="Build" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
          <PropertyGroup>
            <OutputType>{outputType}</OutputType>
            <AssemblyName>{assemblyName}</AssemblyName>
            {extraProperties}
          </PropertyGroup>
          <ItemGroup>
            {string.Concat(compile.Select(c => $"<Compile Include=\"{c}\" />"))}
          </ItemGroup>
          <ItemGroup>
            {string.Concat(references.Select(r => $"<Reference Include=\"{r.Assembly}\"><HintPath>..\\packages\\{r.Id}.{r.Version}\\lib\\{r.Assembly}.dll</HintPath></Reference>"))}
          </ItemGroup>
        </Project>
        """;

    private static string Git(string folder, params string[] arguments) => new GitRepository(folder).Command(arguments);
}
