namespace BlazorIot.Tests.Infrastructure;

/// <summary>
/// Tests that read process-wide state — managed heap size, metrics of every meter — run in this
/// collection, alone, so other tests' servers running in parallel do not mix into what they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IsolatedCollection
{
    public const string Name = "isolated";
}
