using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace BlazorIot.Firmware.DeviceCheck;

/// <summary>
/// Builds each package version from its own sources, against the dependency versions its own
/// project names (so a set whose members were built against different versions of a shared
/// library is caught as the real toolchain would catch it), signed with the repository's key and
/// stamped with the version its release build gives it. Only metadata is emitted.
/// </summary>
public sealed partial class ReferenceAssemblies(IReadOnlyList<GitRepository> repositories, string mscorlibPath, string workFolder)
{
    private readonly Dictionary<PackagePin, BuiltLibrary> built = [];
    private readonly HashSet<PackagePin> inProgress = [];

    public IReadOnlyCollection<BuiltLibrary> Built => built.Values;

    public BuiltLibrary Build(PackagePin package)
    {
        if (built.TryGetValue(package, out var done))
        {
            return done;
        }
        if (!inProgress.Add(package))
        {
            throw new LibraryBuildException($"{package} depends on itself through its references.");
        }
        try
        {
            var library = package.Id == PackagePin.CoreLibrary ? CoreLibrary(package) : FromSources(package);
            built[package] = library;
            return library;
        }
        finally
        {
            inProgress.Remove(package);
        }
    }

    private BuiltLibrary CoreLibrary(PackagePin package)
    {
        var name = AssemblyName.GetAssemblyName(mscorlibPath);
        if (name.Version is not { } version || version != ParseVersion(package.Version))
        {
            throw new LibraryBuildException($"{package} is asked for, but the mscorlib.dll at hand is {name.FullName} (from the nanoFramework.CoreLibrary NuGet package this check restores).");
        }
        return new BuiltLibrary(package, mscorlibPath, name.FullName, "NuGet", [], []);
    }

    private BuiltLibrary FromSources(PackagePin package)
    {
        var source = LibrarySource.Find(repositories, package)
            ?? throw new LibraryBuildException($"{package}: no repository under the sources folder has tag {package.Tag} with a nuspec for {package.Id}.");
        var tree = Path.Combine(workFolder, "src", $"{source.Repository.Name}@{package.Version}");
        if (!Directory.Exists(tree))
        {
            source.Repository.ExtractTo(package.Tag, tree);
        }
        var projectFolder = Path.Combine(tree, source.ProjectFolder);
        var projectFile = Directory.Exists(projectFolder) ? Directory.GetFiles(projectFolder, "*.nfproj").SingleOrDefault() : null;
        if (projectFile is null)
        {
            throw new LibraryBuildException($"{package}: {source.Repository.Name}@{package.Tag} has no single .nfproj in {source.ProjectFolder}.");
        }
        var project = NanoProject.Load(projectFile);
        if (project.UnresolvedReferences.Count > 0)
        {
            throw new LibraryBuildException($"{package}: references outside any package: {string.Join(", ", project.UnresolvedReferences)}.");
        }

        var references = new List<MetadataReference>();
        foreach (var (dependency, _) in project.References)
        {
            references.Add(MetadataReference.CreateFromFile(Build(dependency).AssemblyPath));
        }

        var version = source.AssemblyVersion();
        var missing = project.Sources.Where(s => !File.Exists(s)).ToArray();
        if (missing.Length > 0)
        {
            throw new LibraryBuildException($"{package}: its project lists files that are not in the tree: {string.Join(", ", missing.Select(Path.GetFileName))}.");
        }
        var parse = new CSharpParseOptions(ParseLanguageVersion(project.LangVersion), preprocessorSymbols: project.DefineConstants);
        var trees = project.Sources.Select(s => CSharpSyntaxTree.ParseText(File.ReadAllText(s), parse, s)).ToList();
        if (!trees.Any(t => DeclaresAssemblyVersion().IsMatch(t.ToString())))
        {
            trees.Add(CSharpSyntaxTree.ParseText($"[assembly: System.Reflection.AssemblyVersion(\"{version}\")]", parse, "GeneratedVersion.cs"));
        }
        var compilation = CSharpCompilation.Create(
            project.AssemblyName,
            trees,
            references,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                allowUnsafe: true,
                publicSign: project.KeyFile is not null,
                cryptoKeyFile: project.KeyFile,
                nullableContextOptions: NullableContextOptions.Disable));

        var output = Path.Combine(workFolder, "ref", $"{package.Id}.{package.Version}", project.AssemblyName + ".dll");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        EmitResult result;
        using (var stream = File.Create(output))
        {
            result = compilation.Emit(stream, options: new EmitOptions(metadataOnly: true, includePrivateMembers: false));
        }
        var errors = compilation.GetDiagnostics().Concat(result.Diagnostics)
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString())
            .Distinct()
            .ToArray();
        if (errors.Length > 0 || !result.Success)
        {
            throw new LibraryBuildException($"{package} does not compile from {source.Repository.Name}@{package.Tag}:\n  " + string.Join("\n  ", errors.Take(10)));
        }
        return new BuiltLibrary(
            package,
            output,
            compilation.Assembly.Identity.GetDisplayName(),
            $"{source.Repository.Name}@{package.Tag} ({source.Commit[..8]})",
            project.References.Select(r => r.Package).ToArray(),
            source.NuspecDependencies);
    }

    private static LanguageVersion ParseLanguageVersion(string? text) =>
        text is { Length: > 0 } && LanguageVersionFacts.TryParse(text, out var version) ? version : LanguageVersion.Default;

    internal static Version ParseVersion(string text)
    {
        var version = Version.Parse(text.Split('-')[0]);
        return new Version(version.Major, version.Minor, Math.Max(version.Build, 0), Math.Max(version.Revision, 0));
    }

    [GeneratedRegex(@"\[\s*assembly\s*:\s*(System\.Reflection\.)?AssemblyVersion(Attribute)?\s*\(")]
    private static partial Regex DeclaresAssemblyVersion();
}
