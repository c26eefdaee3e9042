using BlazorIot.Shared.Notifications;

namespace BlazorIot.Server.Dashboard.Notifications;

/// <summary>
/// What the channel form holds while it is being filled in, turned into a <see cref="ChannelInput"/> when saved.
/// The secret is never filled from the stored channel: left empty on an edit, the current one stays.
/// </summary>
public sealed class ChannelDraft
{
    public const int DefaultSmtpPort = 587;

    public long? Id { get; private init; }

    public string Name { get; set; } = "";

    public ChannelKind Kind { get; set; } = ChannelKind.Webhook;

    public string Url { get; set; } = "";

    public string Secret { get; set; } = "";

    public bool RemoveSecret { get; set; }

    /// <summary>Which secret the channel has now (its hint), on an edit; null when it has none.</summary>
    public string? CurrentSecretHint { get; private init; }

    public string Host { get; set; } = "";

    public int? Port { get; set; } = DefaultSmtpPort;

    public bool StartTls { get; set; } = true;

    public string User { get; set; } = "";

    public string From { get; set; } = "";

    /// <summary>The recipients, separated by commas or new lines.</summary>
    public string To { get; set; } = "";

    public bool AllSensors { get; set; } = true;

    public HashSet<string> Sensors { get; } = new(StringComparer.Ordinal);

    public HashSet<NotificationEventKind> Events { get; } = [.. Enum.GetValues<NotificationEventKind>()];

    public bool Editing => Id is not null;

    /// <summary>A Slack or Discord URL as the page was given it, cut short (it is a secret): sent back unchanged, the stored one stays.</summary>
    public string? ShortenedUrl { get; private init; }

    /// <summary>Whether the URL field still holds the shortened URL of the stored channel, which keeps the stored one when saved.</summary>
    public bool KeepsStoredUrl => ShortenedUrl is not null && Kind == shortenedKind && Url == ShortenedUrl;

    private ChannelKind shortenedKind;

    public static ChannelDraft Edit(ChannelView channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var draft = new ChannelDraft
        {
            Id = channel.Id,
            Name = channel.Name,
            Kind = channel.Kind,
            Url = channel.Url ?? "",
            CurrentSecretHint = channel.SecretHint,
            AllSensors = channel.Sensors is null,
            ShortenedUrl = channel.Kind is ChannelKind.Slack or ChannelKind.Discord ? channel.Url : null,
            shortenedKind = channel.Kind,
        };
        if (channel.Email is { } email)
        {
            (draft.Host, draft.Port, draft.StartTls, draft.User, draft.From, draft.To) =
                (email.Host, email.Port, email.StartTls, email.User ?? "", email.From, string.Join(", ", email.To));
        }
        draft.Sensors.UnionWith(channel.Sensors ?? []);
        draft.Events.Clear();
        draft.Events.UnionWith(channel.Events);
        return draft;
    }

    /// <summary>
    /// The problems the service cannot see: it reads no sensors and no events as "all of them", which is not what
    /// someone who chose "these sensors" and ticked none meant.
    /// </summary>
    public Dictionary<string, string[]> Check()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!AllSensors && Sensors.Count == 0)
        {
            errors["sensors"] = ["Tick at least one sensor, or choose all sensors."];
        }
        if (Events.Count == 0)
        {
            errors["events"] = ["Tick at least one event."];
        }
        return errors;
    }

    public ChannelInput ToInput()
    {
        var email = Kind == ChannelKind.Email
            ? new EmailSettings(Host.Trim(), Port ?? 0, StartTls, NullIfBlank(User), From.Trim(), Recipients(To))
            : null;
        return new ChannelInput(
            Name,
            Kind,
            Kind == ChannelKind.Email ? null : UrlToSend(),
            SecretToSend(),
            AllSensors ? null : [.. Sensors.Order(StringComparer.Ordinal)],
            [.. Events.Order()],
            email);
    }

    // A shortened URL is no address: under another kind it must be typed anew, and the service then says so.
    private string UrlToSend() =>
        ShortenedUrl is not null && Url == ShortenedUrl && Kind != shortenedKind ? "" : Url.Trim();

    // On an edit null keeps the stored secret and empty removes it; on a new channel both mean none.
    private string? SecretToSend() =>
        RemoveSecret && Editing ? "" : Secret.Length > 0 ? Secret : null;

    private static string? NullIfBlank(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string[] Recipients(string text) =>
        text.Split([',', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
