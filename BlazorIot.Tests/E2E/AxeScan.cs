using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace BlazorIot.Tests.E2E;

/// <summary>
/// Runs axe-core (a test asset, never served by the server) in a page: WCAG 2.x A and AA rules
/// plus axe's best practices. The page's context must bypass the server's Content Security Policy,
/// which rightly refuses a script injected from outside.
/// </summary>
internal static class AxeScan
{
    private static readonly string ScriptPath = Path.Combine(AppContext.BaseDirectory, "Assets", "axe", "axe.min.js");

    private const string Run = """
        async () => {
            const results = await axe.run(document, {
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
                resultTypes: ['violations'],
            });
            return JSON.stringify({
                passed: results.passes.length,
                violations: results.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    targets: v.nodes.map(n => n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary.replace(/\s+/g, ' ') : '')),
                })),
            });
        }
        """;

    public static async Task<IReadOnlyList<AxeViolation>> ViolationsAsync(IPage page)
    {
        await page.AddScriptTagAsync(new() { Path = ScriptPath });
        var json = await page.EvaluateAsync<string>(Run);
        var results = JsonSerializer.Deserialize<AxeResults>(json, JsonSerializerOptions.Web)!;
        // A scan that checked nothing (axe not loaded, an empty page) must not pass for a clean one.
        Assert.True(results.Passed > 10, $"axe passed only {results.Passed} rules: {json}");
        return results.Violations;
    }

    /// <summary>One line per violation: id, impact, help, and each offending element's selector.</summary>
    public static string Describe(IReadOnlyList<AxeViolation> violations)
    {
        var text = new StringBuilder();
        foreach (var violation in violations)
        {
            text.AppendLine($"{violation.Id} ({violation.Impact}): {violation.Help} <{violation.HelpUrl}>");
            foreach (var target in violation.Targets)
            {
                text.AppendLine($"    {target}");
            }
        }
        return text.ToString();
    }
}

internal sealed record AxeResults(int Passed, AxeViolation[] Violations);

internal sealed record AxeViolation(string Id, string? Impact, string Help, string HelpUrl, string[] Targets);
