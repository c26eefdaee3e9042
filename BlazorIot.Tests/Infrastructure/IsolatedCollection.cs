namespace BlazorIot.Tests.Infrastructure;

/// <summary>
/// Tests that read process-wide state — managed heap size, metrics of every meter — run in this
/// collection, alone, so other tests' servers running in parallel do not mix into what they measure;
/// so does the scale-out test, whose server processes, nginx and Redis would otherwise starve the
/// browser tests' timing on two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IsolatedCollection
{
    public const string Name = "isolated";
}
