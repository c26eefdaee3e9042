using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BlazorIot.Firmware.DeviceCheck;

/// <summary>
/// The firmware project checked as a maintainer with the nanoFramework tools would find it:
/// its package set must fit together (packages.config, the .nfproj's references, each package's
/// nuspec and the versions each was built against), and Core/ + Device/ must compile as C# of
/// the project's language version against those packages with no error, no warning and no generics.
/// </summary>
public static class DeviceLayerCheck
{
    public static CheckReport Run(string firmwareFolder, string sourcesFolder, string mscorlibPath)
    {
        var problems = new List<string>();
        var projectFile = Directory.GetFiles(firmwareFolder, "*.nfproj").SingleOrDefault()
            ?? throw new ArgumentException($"{firmwareFolder} holds no single .nfproj.", nameof(firmwareFolder));
        var project = NanoProject.Load(projectFile);
        var configPath = Path.Combine(firmwareFolder, "packages.config");
        var pins = File.Exists(configPath) ? PackagesConfig.Read(File.ReadAllText(configPath)) : [];
        problems.AddRange(PinMismatches(project, pins));

        var repositories = Directory.Exists(sourcesFolder)
            ? Directory.GetDirectories(sourcesFolder).Order(StringComparer.Ordinal).Where(GitRepository.IsRepository).Select(d => new GitRepository(d)).ToArray()
            : [];
        if (repositories.Length == 0)
        {
            problems.Add($"no git repositories under {sourcesFolder}: clone nanoFramework's library repositories there (see BlazorIot.Firmware/README.md).");
        }

        var work = Directory.CreateTempSubdirectory("blazoriot-device-check-");
        try
        {
            var assemblies = new ReferenceAssemblies(repositories, mscorlibPath, work.FullName);
            var references = new List<MetadataReference>();
            var pinned = new List<BuiltLibrary>();
            foreach (var (package, fileName) in project.References)
            {
                try
                {
                    var library = assemblies.Build(package);
                    if (!string.Equals(Path.GetFileName(library.AssemblyPath), fileName, StringComparison.OrdinalIgnoreCase))
                    {
                        problems.Add($"{projectFile}: the reference to {fileName} in {package} is built as {Path.GetFileName(library.AssemblyPath)}.");
                    }
                    references.Add(MetadataReference.CreateFromFile(library.AssemblyPath));
                    pinned.Add(library);
                }
                catch (LibraryBuildException exception)
                {
                    problems.Add(exception.Message);
                }
            }
            problems.AddRange(DependencyMismatches(pinned, pins));

            var parse = new CSharpParseOptions(LanguageVersionFacts.TryParse(project.LangVersion, out var language) ? language : LanguageVersion.CSharp9);
            var trees = project.Sources.Select(s => CSharpSyntaxTree.ParseText(File.ReadAllText(s), parse, s)).ToArray();
            var compilation = CSharpCompilation.Create(
                project.AssemblyName,
                trees,
                references,
                new CSharpCompilationOptions(OutputKind.ConsoleApplication, warningLevel: 4, nullableContextOptions: NullableContextOptions.Disable));
            var diagnostics = compilation.GetDiagnostics()
                .Where(d => d.Severity >= DiagnosticSeverity.Warning && !d.IsSuppressed)
                .ToArray();
            problems.AddRange(diagnostics.Select(d => $"{NanoGenerics.Where(d.Location)}: {d.Severity.ToString().ToLowerInvariant()} {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));
            problems.AddRange(NanoGenerics.Uses(compilation));
            return new CheckReport(
                [.. assemblies.Built],
                problems,
                trees.Length,
                diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error),
                diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>packages.config and the .nfproj's HintPaths must name the same packages at the same versions.</summary>
    private static IEnumerable<string> PinMismatches(NanoProject project, IReadOnlyList<PackagePin> pins)
    {
        foreach (var (package, _) in project.References)
        {
            var pin = pins.FirstOrDefault(p => p.Id == package.Id);
            if (pin is null)
            {
                yield return $"{Path.GetFileName(project.Path)} references {package}, which packages.config does not list.";
            }
            else if (pin.Version != package.Version)
            {
                yield return $"{Path.GetFileName(project.Path)} references {package}, but packages.config pins {pin.Version}.";
            }
        }
        foreach (var pin in pins.Where(p => project.References.All(r => r.Package.Id != p.Id)))
        {
            yield return $"packages.config lists {pin}, which {Path.GetFileName(project.Path)} does not reference.";
        }
        foreach (var reference in project.UnresolvedReferences)
        {
            yield return $"{Path.GetFileName(project.Path)} references {reference} outside any package.";
        }
    }

    /// <summary>Each pinned package must find its nuspec's dependencies met, and was built against exactly the pinned versions.</summary>
    private static IEnumerable<string> DependencyMismatches(IReadOnlyList<BuiltLibrary> pinned, IReadOnlyList<PackagePin> pins)
    {
        foreach (var library in pinned)
        {
            foreach (var dependency in library.NuspecDependencies)
            {
                var pin = pins.FirstOrDefault(p => p.Id == dependency.Id);
                if (pin is null)
                {
                    yield return $"{library.Package} depends on {dependency.Id} >= {dependency.Version} (its nuspec), which packages.config does not list.";
                }
                else if (ReferenceAssemblies.ParseVersion(pin.Version) < ReferenceAssemblies.ParseVersion(dependency.Version))
                {
                    yield return $"{library.Package} depends on {dependency.Id} >= {dependency.Version} (its nuspec), but packages.config pins {pin.Version}.";
                }
            }
            foreach (var dependency in library.BuiltAgainst)
            {
                var pin = pins.FirstOrDefault(p => p.Id == dependency.Id);
                if (pin is not null && pin.Version != dependency.Version)
                {
                    yield return $"{library.Package} was built against {dependency}, but packages.config pins {pin.Version}.";
                }
            }
        }
    }
}
