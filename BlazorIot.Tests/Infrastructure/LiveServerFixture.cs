namespace BlazorIot.Tests.Infrastructure;

/// <summary>One server shared by the tests of a class, for tests that leave no state behind.</summary>
public sealed class LiveServerFixture : IAsyncLifetime
{
    public LiveServer Server { get; private set; } = default!;

    public Task InitializeAsync()
    {
        Server = LiveServer.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
