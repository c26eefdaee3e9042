using BlazorIot.Server.Notifications;
using BlazorIot.Server.Notifications.Senders;
using BlazorIot.Shared.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Notifications.Senders;

/// <summary>The senders as the server composes them: the notifications HTTP client, HttpDelivery, a clock, AddChannelSenders.</summary>
public static class SenderServices
{
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 14, 15, 0, TimeSpan.Zero);

    public static ServiceProvider Build(TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(NotificationHttp.ClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<TimeProvider>(time ?? new FakeTimeProvider(Now));
        services.AddSingleton<HttpDelivery>();
        services.AddChannelSenders();
        return services.BuildServiceProvider();
    }

    public static IChannelSender Sender(this IServiceProvider services, ChannelKind kind) =>
        services.GetServices<IChannelSender>().Single(sender => sender.Kind == kind);

    public static NotificationChannel Channel(ChannelKind kind, string? url, string? secret = null, EmailSettings? email = null) =>
        new(7, "alerts", kind, url, secret, null, [], email, Now);

    public static NotificationEvent Above(string sensor = "co2", double value = 1204.5, double threshold = 1000) =>
        new(NotificationChange.AboveHigh, sensor, Now, value, threshold, null);

    public static NotificationEvent Cleared(string sensor = "co2", double value = 950) =>
        new(NotificationChange.Cleared, sensor, Now, value, 1000, null);

    public static NotificationEvent Silent(string sensor = "door") =>
        new(NotificationChange.Silent, sensor, Now, null, null, Now.AddMinutes(-12));

    public static NotificationEvent Back(string sensor = "door", double value = 1) =>
        new(NotificationChange.Back, sensor, Now, value, null, null);

    /// <summary>A hundred events (the most one message carries) on sensors with the longest names allowed.</summary>
    public static IReadOnlyList<NotificationEvent> Hundred() =>
        [.. Enumerable.Range(0, 100).Select(index =>
        {
            var sensor = (index.ToString("000", System.Globalization.CultureInfo.InvariantCulture) + new string('x', 64))[..64];
            return (index % 4) switch
            {
                0 => Above(sensor, 123456.789, 100000.5),
                1 => Cleared(sensor),
                2 => Silent(sensor),
                _ => Back(sensor),
            };
        })];
}
