using System.Text.Json;
using BlazorIot.Server.Notifications;
using BlazorIot.Shared.Notifications;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BlazorIot.Tests.Notifications;

/// <summary>What the notification tests share: a start time, events, channels made through the service, and reading what was delivered.</summary>
internal static class NotificationTesting
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    public static NotificationEvent Event(string sensor, NotificationChange change = NotificationChange.AboveHigh, DateTimeOffset? at = null) =>
        new(change, sensor, at ?? Start, 42.5, 40, null);

    public static async Task<ChannelView> WebhookAsync(LiveServer server, Uri url, string? secret = null, IReadOnlyList<string>? sensors = null)
    {
        var save = await server.Services.GetRequiredService<NotificationChannels>().CreateAsync(
            new ChannelInput("hook", ChannelKind.Webhook, url.ToString(), secret, sensors, null, null), CancellationToken.None);
        Assert.True(save.Channel is not null, string.Join("; ", save.Errors.Select(error => $"{error.Key}: {string.Join(" ", error.Value)}")));
        return save.Channel;
    }

    public static INotificationSink Sink(LiveServer server) => server.Services.GetRequiredService<INotificationSink>();

    public static async Task<IReadOnlyList<DeliveryRecord>> LogAsync(LiveServer server, long channel) =>
        await server.Services.GetRequiredService<NotificationChannels>().DeliveriesAsync(channel, 500, CancellationToken.None) ?? [];

    /// <summary>
    /// Waits until the channel's newest message is in <paramref name="status"/> after <paramref name="attempts"/> tries, that
    /// try recorded (a pending message under way has no error yet); returns it.
    /// </summary>
    public static async Task<DeliveryRecord> WaitForAsync(LiveServer server, long channel, DeliveryStatus status, int attempts)
    {
        DeliveryRecord? newest = null;
        await Eventually.TrueAsync(
            async () => (newest = (await LogAsync(server, channel)).FirstOrDefault()) is { } record && record.Status == status && record.Attempts == attempts
                && (status != DeliveryStatus.Pending || record.LastError is not null),
            $"the newest message of channel {channel} is {status} after {attempts} tries (it is {newest?.Status} after {newest?.Attempts}: {newest?.LastError})");
        return newest!;
    }

    /// <summary>The webhook body as the receiver got it.</summary>
    public static JsonElement Body(ReceivedRequest request) => JsonDocument.Parse(request.Body).RootElement;

    public static IEnumerable<string> SensorsIn(ReceivedRequest request) =>
        Body(request).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("sensor").GetString()!);
}
