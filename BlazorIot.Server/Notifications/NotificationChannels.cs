using BlazorIot.Shared.Notifications;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Notifications;

/// <summary>
/// The notification channels as the API and the settings page manage them: saved after <see cref="ChannelRules"/>,
/// shown without their secrets, tested on demand, with their delivery logs.
/// </summary>
public sealed class NotificationChannels(
    NotificationStore store, ChannelSenders senders, DeliveryLogWatch watch, TimeProvider time, IOptions<NotificationOptions> options)
{
    private static readonly IReadOnlyList<NotificationEventKind> EveryEvent = Enum.GetValues<NotificationEventKind>();

    public async Task<IReadOnlyList<ChannelView>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListChannelsAsync(cancellationToken)).Select(View)];

    public async Task<ChannelView?> GetAsync(long id, CancellationToken cancellationToken) =>
        await store.GetChannelAsync(id, cancellationToken) is { } channel ? View(channel) : null;

    public async Task<ChannelSave> CreateAsync(ChannelInput input, CancellationToken cancellationToken)
    {
        var errors = ChannelRules.Check(input, creating: true);
        if (errors.Count > 0)
        {
            return new ChannelSave(null, errors);
        }
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var channel = await store.CreateChannelAsync(Channel(0, input, input.Secret, now), cancellationToken);
        return new ChannelSave(View(channel), NoErrors);
    }

    /// <summary>Replaces a channel's settings; null when there is no such channel.</summary>
    public async Task<ChannelSave?> UpdateAsync(long id, ChannelInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await store.GetChannelAsync(id, cancellationToken) is not { } current)
        {
            return null;
        }
        // The page shows a Slack or Discord URL cut short, as it is a secret: sent back unchanged (or left out), it keeps the stored one.
        if (input.Kind == current.Kind && current.Kind is ChannelKind.Slack or ChannelKind.Discord
            && (input.Url is null || string.Equals(input.Url, ShownUrl(current), StringComparison.Ordinal)))
        {
            input = input with { Url = current.Url };
        }
        var errors = ChannelRules.Check(input, creating: true);
        if (errors.Count > 0)
        {
            return new ChannelSave(null, errors);
        }
        if (input.Secret is null && current.Secret is not null && SendsSecretElsewhere(current, input))
        {
            // An ntfy token or an SMTP password goes to the receiver as it is: kept, it would follow whoever edits the address.
            return new ChannelSave(null, new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["secret"] = ["The channel now sends somewhere else: enter its secret again (or an empty one to send without)."],
            });
        }
        var secret = input.Secret ?? current.Secret;
        var channel = Channel(id, input, secret, current.Created);
        return await store.UpdateChannelAsync(channel, cancellationToken) ? new ChannelSave(View(channel), NoErrors) : null;
    }

    private static bool SendsSecretElsewhere(NotificationChannel current, ChannelInput input) =>
        input.Kind != current.Kind
        || (current.Kind == ChannelKind.Ntfy && !string.Equals(input.Url, current.Url, StringComparison.Ordinal))
        || (current.Kind == ChannelKind.Email && (input.Email is not { } email || current.Email is not { } was
            || !string.Equals(email.Host, was.Host, StringComparison.OrdinalIgnoreCase) || email.Port != was.Port
            || !string.Equals(email.User, was.User, StringComparison.Ordinal) || (was.StartTls && !email.StartTls)));

    /// <summary>Puts <paramref name="to"/> in place of <paramref name="from"/> in every channel's sensor list (once, should it list both).</summary>
    public async Task FollowRenameAsync(string from, string to, CancellationToken cancellationToken)
    {
        foreach (var channel in await store.ListChannelsAsync(cancellationToken))
        {
            if (channel.Sensors is { } sensors && sensors.Contains(from, StringComparer.Ordinal))
            {
                var renamed = sensors.Select(sensor => string.Equals(sensor, from, StringComparison.Ordinal) ? to : sensor).Distinct(StringComparer.Ordinal).ToList();
                await store.UpdateChannelAsync(channel with { Sensors = renamed }, cancellationToken);
            }
        }
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteChannelAsync(id, cancellationToken);
        if (deleted)
        {
            watch.Changed(id);
        }
        return deleted;
    }

    /// <summary>
    /// Sends a test message now through the channel's sender (no events, <c>test</c> true), logs it in the
    /// delivery log and returns what the receiver said. A test is never retried. Null when there is no such channel.
    /// </summary>
    public async Task<TestOutcome?> TestAsync(long id, CancellationToken cancellationToken)
    {
        if (await store.GetChannelAsync(id, cancellationToken) is not { } channel
            || await store.AddTestMessageAsync(id, time.GetUtcNow(), cancellationToken) is not { } messageId)
        {
            return null;
        }
        watch.Changed(id);
        DeliveryAttempt attempt;
        try
        {
            attempt = await senders.SendAsync(channel, messageId, [], test: true, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The log must not keep a test that looks still under way; this short write runs even though the caller left.
            await store.RecordAsync(messageId, DeliveryStatus.Failed, null, "Cancelled before the receiver answered.", null, options.Value.LogPerChannel, CancellationToken.None);
            watch.Changed(id);
            throw;
        }
        await store.RecordAsync(
            messageId, attempt.Delivered ? DeliveryStatus.Delivered : DeliveryStatus.Failed, attempt.Status, attempt.Error, null, options.Value.LogPerChannel, cancellationToken);
        watch.Changed(id);
        return new TestOutcome(attempt.Delivered, attempt.Status, attempt.Answer, attempt.Error);
    }

    /// <summary>A channel's delivery log, newest first, at most <paramref name="limit"/> messages; null when there is no such channel.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>?> DeliveriesAsync(long id, int limit, CancellationToken cancellationToken)
    {
        if (await store.GetChannelAsync(id, cancellationToken) is null)
        {
            return null;
        }
        return await store.DeliveriesAsync(id, Math.Clamp(limit, 1, options.Value.LogPerChannel), cancellationToken);
    }

    /// <summary>
    /// Calls <paramref name="channelChanged"/> with a channel's id whenever its delivery log changes, from whatever
    /// thread changed it and outside any lock: marshal to your own context and return at once. Dispose to stop.
    /// </summary>
    public IDisposable SubscribeDeliveries(Action<long> channelChanged) => watch.Subscribe(channelChanged);

    /// <summary>How a channel is shown: never its secret, only a hint of it; a Slack or Discord URL (itself a secret) cut short.</summary>
    public static ChannelView View(NotificationChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new ChannelView(channel.Id, channel.Name, channel.Kind, ShownUrl(channel), Hint(channel.Secret), channel.Sensors, channel.Events, channel.Email, channel.Created);
    }

    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    private static NotificationChannel Channel(long id, ChannelInput input, string? secret, DateTimeOffset created)
    {
        var kind = input.Kind!.Value;
        return new NotificationChannel(
            id,
            input.Name!.Trim(),
            kind,
            kind == ChannelKind.Email ? null : input.Url,
            string.IsNullOrEmpty(secret) ? null : secret,
            input.Sensors is { Count: > 0 } sensors ? [.. sensors] : null,
            input.Events is { Count: > 0 } events ? [.. events.Order()] : EveryEvent,
            kind == ChannelKind.Email && input.Email is { } email ? email with { Host = email.Host.Trim(), To = [.. email.To] } : null,
            created);
    }

    private static string? ShownUrl(NotificationChannel channel) =>
        channel.Kind is ChannelKind.Slack or ChannelKind.Discord && channel.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? $"{uri.Scheme}://{uri.Host}/…{(url.Length > 4 ? url[^4..] : "")}"
            : channel.Url;

    // A short secret shown by its last four characters would be mostly given away.
    private static string? Hint(string? secret) =>
        string.IsNullOrEmpty(secret) ? null : secret.Length >= 8 ? $"…{secret[^4..]}" : "…";
}
