using BlazorIot.Server.Ingest;
using BlazorIot.Server.Notifications;
using BlazorIot.Tests.Dashboard;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Notifications.Events;

/// <summary>A <see cref="DashboardHost"/> (store, hub, alerts, silence watch, fake clock) whose notification events go to a <see cref="RecordingSink"/>.</summary>
internal static class EventsHost
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock(DateTimeOffset? now = null) => new(now ?? Start);

    public static Task<DashboardHost> StartAsync(RecordingSink sink, string? databasePath = null, FakeTimeProvider? time = null) =>
        DashboardHost.StartAsync(databasePath, time ?? Clock(), services => services.AddSingleton<INotificationSink>(sink));

    /// <summary>Stores and publishes the readings; returns once every watcher of the hub has seen them.</summary>
    public static async Task SendAsync(this DashboardHost host, params ReadingInput[] readings)
    {
        var result = await host.IngestAsync(readings);
        var last = result.Ids.Max();
        await Eventually.TrueAsync(() => host.Hub.LastSequence >= last, "the readings are published");
    }

    /// <summary>One reading now (by the fake clock), then the clock moves on by <paramref name="gap"/>; as many as <paramref name="count"/>.</summary>
    public static async Task<DateTimeOffset> SendEveryAsync(this DashboardHost host, string sensor, int count, TimeSpan gap)
    {
        var last = host.Time.GetUtcNow();
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                host.Time.Advance(gap);
            }
            last = host.Time.GetUtcNow();
            await host.SendAsync(new ReadingInput(sensor, i, last));
        }
        return last;
    }
}
