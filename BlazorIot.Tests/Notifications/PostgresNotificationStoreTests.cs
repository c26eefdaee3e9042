using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Notifications;

public sealed class PostgresNotificationStoreTests : NotificationStoreContract
{
    private readonly PostgresServers servers = new();

    protected override Task<LiveServer> StartAsync(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        servers.StartAsync(time, settings);

    public override async Task DisposeAsync() => await servers.DisposeAsync();
}
