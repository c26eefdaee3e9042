using System.Net.Mail;
using BlazorIot.Server.Ingest;
using BlazorIot.Shared.Notifications;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Notifications;

/// <summary>
/// What a channel must be, worded once for the API and the settings page. Problems are keyed by the JSON
/// field name (<c>email.host</c> for a field of the e-mail settings).
/// </summary>
public static class ChannelRules
{
    public const int NameLength = 100;
    public const int SecretLength = 200;
    public const int UrlLength = 2000;
    public const int HostLength = 255;

    /// <summary>
    /// The problems of <paramref name="input"/>, none when it can be saved. When not <paramref name="creating"/>, a
    /// Slack or Discord channel may leave its url out: the current one is kept (the page never sees it whole).
    /// </summary>
    public static Dictionary<string, string[]> Check(ChannelInput input, bool creating)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > NameLength)
        {
            errors["name"] = [$"The name is 1 to {NameLength} characters."];
        }
        if (input.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            errors["kind"] = ["The kind is one of webhook, slack, discord, ntfy or email."];
        }
        else if (kind == ChannelKind.Email)
        {
            if (!string.IsNullOrEmpty(input.Url))
            {
                errors["url"] = ["An e-mail channel has no url: it sends through the SMTP server of its e-mail settings."];
            }
            CheckEmail(input.Email, errors);
        }
        else if (input.Url is null && !creating && kind is ChannelKind.Slack or ChannelKind.Discord)
        {
            // Kept as it is.
        }
        else if (!IsHttpUrl(input.Url))
        {
            errors["url"] = [$"The url is an absolute http:// or https:// address of at most {UrlLength} characters."];
        }
        if (input.Secret is { Length: > SecretLength })
        {
            errors["secret"] = [$"The secret is at most {SecretLength} characters."];
        }
        if (input.Sensors is { } sensors)
        {
            if (sensors.FirstOrDefault(sensor => !SensorId.IsValid(sensor)) is { } bad)
            {
                errors["sensors"] = [$"'{bad}' is not a sensor id. {ReadingFields.CheckSensor(bad)}"];
            }
            else if (sensors.Count != sensors.Distinct(StringComparer.Ordinal).Count())
            {
                errors["sensors"] = ["Each sensor is listed once."];
            }
        }
        if (input.Events is { } events)
        {
            if (events.Any(kind => !Enum.IsDefined(kind)))
            {
                errors["events"] = ["An event is one of threshold, silent or back."];
            }
            else if (events.Count != events.Distinct().Count())
            {
                errors["events"] = ["Each event is listed once."];
            }
        }
        return errors;
    }

    /// <summary>Whether <paramref name="url"/> is an absolute http or https address a channel can send to.</summary>
    public static bool IsHttpUrl(string? url) =>
        url is { Length: > 0 and <= UrlLength }
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);

    private static void CheckEmail(EmailSettings? email, Dictionary<string, string[]> errors)
    {
        if (email is null)
        {
            errors["email"] = ["An e-mail channel needs its e-mail settings: host, port, from and to."];
            return;
        }
        if (string.IsNullOrWhiteSpace(email.Host) || email.Host.Length > HostLength || Uri.CheckHostName(email.Host.Trim()) == UriHostNameType.Unknown)
        {
            errors["email.host"] = ["The SMTP host is a host name or an IP address."];
        }
        if (email.Port is < 1 or > 65535)
        {
            errors["email.port"] = ["The SMTP port is 1 to 65535 (587 with STARTTLS, 25 without; implicit TLS on 465 is not supported)."];
        }
        if (!IsAddress(email.From))
        {
            errors["email.from"] = ["The sender is an e-mail address, such as alerts@example.com."];
        }
        if (email.To is not { Count: > 0 } to)
        {
            errors["email.to"] = ["At least one recipient."];
        }
        else if (to.FirstOrDefault(address => !IsAddress(address)) is { } bad)
        {
            errors["email.to"] = [$"'{bad}' is not an e-mail address."];
        }
    }

    private static bool IsAddress(string? address) =>
        !string.IsNullOrWhiteSpace(address) && address.Length <= 320 && MailAddress.TryCreate(address, out _);
}
