using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Notifications;

public sealed class SqliteNotificationStoreTests : NotificationStoreContract
{
    protected override Task<LiveServer> StartAsync(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        Task.FromResult(LiveServer.Start(time, settings));
}
