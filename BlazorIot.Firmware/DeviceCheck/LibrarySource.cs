using System.Text.Json;
using System.Xml.Linq;

namespace BlazorIot.Firmware.DeviceCheck;

/// <summary>
/// Where one package version comes from: the repository and tag it was released from, the nuspec
/// that packs it (its dependencies and the project folder its assembly is built in), and the
/// assembly version nanoFramework's build (Nerdbank.GitVersioning) gives it.
/// </summary>
public sealed class LibrarySource
{
    private LibrarySource(PackagePin package, GitRepository repository, string commit, string projectFolder, IReadOnlyList<PackagePin> nuspecDependencies)
    {
        Package = package;
        Repository = repository;
        Commit = commit;
        ProjectFolder = projectFolder;
        NuspecDependencies = nuspecDependencies;
    }

    public PackagePin Package { get; }

    public GitRepository Repository { get; }

    public string Commit { get; }

    /// <summary>The folder, relative to the repository, that holds the package's .nfproj.</summary>
    public string ProjectFolder { get; }

    /// <summary>The minimum versions the package's nuspec asks of other packages.</summary>
    public IReadOnlyList<PackagePin> NuspecDependencies { get; }

    /// <summary>Finds the repository that has the package's tag and, at that tag, a nuspec of that id.</summary>
    public static LibrarySource? Find(IEnumerable<GitRepository> repositories, PackagePin package)
    {
        foreach (var repository in repositories)
        {
            if (repository.CommitOf(package.Tag) is not { } commit)
            {
                continue;
            }
            foreach (var file in repository.TopLevelFiles(package.Tag).Where(f => f.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase)))
            {
                var nuspec = XDocument.Parse(repository.ReadFile(package.Tag, file) ?? "<package/>");
                var metadata = nuspec.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata");
                if (metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == "id")?.Value.Trim() != package.Id)
                {
                    continue;
                }
                var assembly = nuspec.Descendants()
                    .Where(e => e.Name.LocalName == "file")
                    .Select(e => ((string?)e.Attribute("src") ?? "").Replace('\\', '/'))
                    .FirstOrDefault(src => src.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && src.Contains("/bin/", StringComparison.Ordinal));
                if (assembly is null)
                {
                    continue;
                }
                var dependencies = metadata.Descendants()
                    .Where(e => e.Name.LocalName == "dependency")
                    .Select(e => new PackagePin((string?)e.Attribute("id") ?? "", ((string?)e.Attribute("version") ?? "").Trim('[', ']', '(', ')')))
                    .ToArray();
                return new LibrarySource(package, repository, commit, assembly[..assembly.IndexOf("/bin/", StringComparison.Ordinal)], dependencies);
            }
        }
        return null;
    }

    /// <summary>
    /// The AssemblyVersion its own build stamps: version.json's precision applied to the tag's
    /// version, with Nerdbank.GitVersioning's revision (the commit id's first two bytes) when asked.
    /// </summary>
    public Version AssemblyVersion()
    {
        var precision = "minor";
        foreach (var candidate in new[] { ProjectFolder + "/version.json", "version.json" })
        {
            if (Repository.ReadFile(Package.Tag, candidate) is { } json)
            {
                using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                if (document.RootElement.TryGetProperty("assemblyVersion", out var assemblyVersion)
                    && assemblyVersion.ValueKind == JsonValueKind.Object
                    && assemblyVersion.TryGetProperty("precision", out var value))
                {
                    precision = value.GetString() ?? precision;
                }
                break;
            }
        }
        var released = Version.Parse(Package.Version.Split('-')[0]);
        return precision.ToLowerInvariant() switch
        {
            "major" => new Version(released.Major, 0, 0, 0),
            "minor" => new Version(released.Major, released.Minor, 0, 0),
            "build" => new Version(released.Major, released.Minor, Math.Max(released.Build, 0), 0),
            _ => new Version(released.Major, released.Minor, Math.Max(released.Build, 0), Convert.ToInt32(Commit[..4], 16)),
        };
    }
}
