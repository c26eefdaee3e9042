using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BlazorIot.Tests.Firmware;

/// <summary>
/// Compiles C# the way the board's toolchain would: C# 9, against nanoFramework's own
/// mscorlib.dll and nothing else. Roslyn accepts generics there, but nanoFramework's metadata
/// processor does not, so every generic declaration or use is reported as a problem too.
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
            .Select(d => $"{Where(d.Location)}: {d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .ToList();
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (GenericUse(node, model) is { } what)
                {
                    problems.Add($"{Where(node.GetLocation())}: generics are not supported by nanoFramework ({what})");
                }
            }
        }
        return problems;
    }

    private static string? GenericUse(SyntaxNode node, SemanticModel model)
    {
        switch (node)
        {
            case TypeParameterListSyntax:
                return "a type parameter list";
            case GenericNameSyntax generic:
                return generic.ToString();
            case TupleTypeSyntax or TupleExpressionSyntax:
                return "a tuple";
            case NullableTypeSyntax nullable when model.GetTypeInfo(nullable).Type is { IsValueType: true }:
                return nullable + " (Nullable<T>)";
        }
        if (node is ExpressionSyntax expression)
        {
            if (model.GetTypeInfo(expression).Type is INamedTypeSymbol { IsGenericType: true } type)
            {
                return type.ToDisplayString();
            }
            if (model.GetSymbolInfo(expression).Symbol is IMethodSymbol { IsGenericMethod: true } method)
            {
                return method.ToDisplayString();
            }
        }
        return null;
    }

    private static string Where(Location location)
    {
        var span = location.GetLineSpan();
        return $"{Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1})";
    }
}
