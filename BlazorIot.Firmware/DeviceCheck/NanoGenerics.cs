using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BlazorIot.Firmware.DeviceCheck;

/// <summary>
/// Roslyn accepts generics against nanoFramework's mscorlib, but nanoFramework's metadata
/// processor does not: every generic declaration or use in the firmware is a problem.
/// </summary>
public static class NanoGenerics
{
    /// <summary>Each generic declaration or use, as "file(line): what".</summary>
    public static IEnumerable<string> Uses(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (Use(node, model) is { } what)
                {
                    yield return $"{Where(node.GetLocation())}: generics are not supported by nanoFramework ({what})";
                }
            }
        }
    }

    public static string Where(Location location)
    {
        var span = location.GetLineSpan();
        return $"{Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1})";
    }

    private static string? Use(SyntaxNode node, SemanticModel model)
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
}
