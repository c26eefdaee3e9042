using System.Text.Json.Nodes;
using BlazorIot.Shared.Notifications;
using Microsoft.AspNetCore.WebUtilities;

namespace BlazorIot.Server.Notifications.Senders;

/// <summary>
/// Executes a Discord webhook with <c>?wait=true</c> (Discord then answers with the message it
/// posted, so a 200 means it is in the channel): a short <c>content</c> and one embed per kind of
/// change, coloured red (crossed), amber (silent) or green (cleared, back), within Discord's
/// limits (content 2000 characters, 10 embeds, title 256, description 4096, 6000 in all embeds).
/// No mention is ever parsed, so nothing in a message can ping anyone.
/// </summary>
public sealed class DiscordSender(HttpDelivery delivery) : IChannelSender
{
    public const int ContentLength = 2000;
    public const int TitleLength = 256;
    public const int DescriptionLength = 4096;
    public const int EmbedsTotalLength = 6000;

    public const int Red = 0xD32F2F;
    public const int Amber = 0xFFA000;
    public const int Green = 0x388E3C;

    /// <summary>What each group gets at least, so a group of one event still shows it beside a group of 99.</summary>
    private const int GroupFloor = 300;

    public ChannelKind Kind => ChannelKind.Discord;

    public async Task<DeliveryAttempt> SendAsync(
        NotificationChannel channel, long messageId, IReadOnlyList<NotificationEvent> events, bool test, CancellationToken cancellationToken)
    {
        if (ChannelUrl.Parse(channel.Url) is not { } url)
        {
            return ChannelUrl.Missing("webhook URL");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, QueryHelpers.AddQueryString(url.AbsoluteUri, "wait", "true"))
        {
            Content = JsonContent.Create(Payload(NotificationText.For(events, test))),
        };
        return await delivery.SendAsync(request, cancellationToken);
    }

    internal static JsonObject Payload(NotificationText text)
    {
        var content = text.Test ? text.Title + "\n" + NotificationText.TestNotice : text.Title;
        var groups = text.Events
            .GroupBy(Colour)
            .OrderBy(group => group.Key switch { Red => 0, Amber => 1, _ => 2 })
            .Select(group => (Colour: group.Key, Events: group.ToList()))
            .ToList();

        var titles = groups.Select(group => GroupTitle(group.Colour, group.Events)).ToList();
        var room = EmbedsTotalLength - titles.Sum(title => title.Length);
        var spare = Math.Max(0, room - (GroupFloor * groups.Count));
        var embeds = new JsonArray();
        for (var index = 0; index < groups.Count; index++)
        {
            var (colour, members) = groups[index];
            var share = GroupFloor + (spare * members.Count / text.Events.Count);
            var lines = members.Select(notification =>
                NotificationText.Truncate(NotificationText.Line(notification, Code), NotificationText.MaxLineLength)).ToList();
            embeds.Add(new JsonObject
            {
                ["title"] = titles[index],
                ["description"] = string.Join('\n', NotificationText.Fit(lines, Math.Min(share, DescriptionLength))),
                ["color"] = colour,
                ["timestamp"] = NotificationText.Timestamp(members.Max(notification => notification.At)),
            });
        }
        return new JsonObject
        {
            ["content"] = NotificationText.Truncate(content, ContentLength),
            ["embeds"] = embeds,
            ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
        };
    }

    internal static int Colour(NotificationEvent notification) => notification.Change switch
    {
        NotificationChange.AboveHigh or NotificationChange.BelowLow => Red,
        NotificationChange.Silent => Amber,
        _ => Green,
    };

    private static string GroupTitle(int colour, List<NotificationEvent> members)
    {
        if (members.Count == 1)
        {
            return NotificationText.Truncate(NotificationText.Headline(members[0]), TitleLength);
        }
        var count = members.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return colour switch
        {
            Red => $"{count} thresholds crossed",
            Amber => $"{count} sensors silent",
            _ => $"{count} sensors back to normal",
        };
    }

    /// <summary>A code span: Discord shows the name as it is, no markdown inside.</summary>
    private static string Code(string sensor) => "`" + sensor.Replace("`", "'", StringComparison.Ordinal) + "`";
}
