using BlazorIot.Firmware.DeviceCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BlazorIot.Tests.Firmware;

/// <summary>
/// Compiles C# the way the board's toolchain would: C# 9, against nanoFramework's own
/// mscorlib.dll and nothing else, with every generic declaration or use reported as a problem
/// too (<see cref="NanoGenerics"/>, shared with the device-layer check).
/// </summary>
internal static class NanoCompilation
{
    public static string MscorlibPath => Path.Combine(AppContext.BaseDirectory, "nanoFramework", "mscorlib.dll");

    public static string CoreDirectory => Path.Combine(AppContext.BaseDirectory, "firmware-core");

    public static IReadOnlyList<string> CoreSources() => Directory.GetFiles(CoreDirectory, "*.cs").Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every error and every use of generics, as "file(line): message".</summary>
    public static IReadOnlyList<string> Problems(IEnumerable<(string Path, string Text)> sources)
    {
        var parse = new CSharpParseOptions(LanguageVersion.CSharp9);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path)).ToArray();
        var compilation = CSharpCompilation.Create(
            "BlazorIot.Firmware.Core",
            trees,
            [MetadataReference.CreateFromFile(MscorlibPath)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));

        var problems = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{NanoGenerics.Where(d.Location)}: {d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .ToList();
        problems.AddRange(NanoGenerics.Uses(compilation));
        return problems;
    }
}
