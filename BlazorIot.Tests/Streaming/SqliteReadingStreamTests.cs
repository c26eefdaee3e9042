using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Streaming;

public sealed class SqliteReadingStreamTests : ReadingStreamContract
{
    protected override Task<LiveServer> StartAsync(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        Task.FromResult(LiveServer.Start(time, settings));
}
