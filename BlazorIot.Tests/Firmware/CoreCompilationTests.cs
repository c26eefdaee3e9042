namespace BlazorIot.Tests.Firmware;

public sealed class CoreCompilationTests
{
    [Fact]
    public void Core_compiles_as_csharp_9_against_nanoframeworks_mscorlib_alone_without_generics()
    {
        var sources = NanoCompilation.CoreSources();
        Assert.NotEmpty(sources);

        var problems = NanoCompilation.Problems(sources.Select(path => (path, File.ReadAllText(path))));

        Assert.True(problems.Count == 0, "Core uses what nanoFramework lacks:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void The_check_catches_generics_and_members_nanoframework_lacks()
    {
        const string Generic = """
            namespace Probe
            {
                public sealed class Box<T>
                {
                    public T Value;
                }

                public static class Use
                {
                    public static T Same<T>(T value) { return value; }

                    public static int Twice(int value) { return Same(value) * 2; }
                }
            }
            """;
        const string ModernBcl = """
            namespace Probe
            {
                public static class Modern
                {
                    public static string Text(int[] values) { return System.String.Join(",", System.Linq.Enumerable.Select(values, v => v.ToString())); }
                }
            }
            """;

        var generic = NanoCompilation.Problems([("Generic.cs", Generic)]);
        var modern = NanoCompilation.Problems([("Modern.cs", ModernBcl)]);

        Assert.Contains(generic, p => p.Contains("Generic.cs(3)", StringComparison.Ordinal) && p.Contains("generics", StringComparison.Ordinal));
        Assert.Contains(generic, p => p.Contains("Generic.cs(10)", StringComparison.Ordinal) && p.Contains("generics", StringComparison.Ordinal));
        Assert.Contains(generic, p => p.Contains("Generic.cs(12)", StringComparison.Ordinal) && p.Contains("Same<int>", StringComparison.Ordinal));
        Assert.Contains(modern, p => p.Contains("CS0234", StringComparison.Ordinal) || p.Contains("CS0117", StringComparison.Ordinal));
    }
}
