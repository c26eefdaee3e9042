using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Import;

[Collection(IsolatedCollection.Name)]
public sealed class SqliteLargeImportTests : LargeImportContract
{
    protected override Task<LiveServer> StartAsync(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        Task.FromResult(LiveServer.Start(time, settings));
}
