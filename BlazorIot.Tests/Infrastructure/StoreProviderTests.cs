namespace BlazorIot.Tests.Infrastructure;

/// <summary>Tests written once and run against each store provider: a subclass says how to start a server on a fresh store.</summary>
public abstract class StoreProviderTests : IAsyncLifetime
{
    /// <summary>A server on a fresh, empty store of the provider under test.</summary>
    protected abstract Task<LiveServer> StartAsync(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;
}
