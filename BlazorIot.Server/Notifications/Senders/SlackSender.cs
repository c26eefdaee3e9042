using System.Text.Json.Nodes;
using BlazorIot.Shared.Notifications;

namespace BlazorIot.Server.Notifications.Senders;

/// <summary>
/// Posts to a Slack incoming webhook: <c>text</c> (what notifications and old clients show) and
/// <c>blocks</c> (a header, then mrkdwn sections), within Slack's limits: a header's text 150
/// characters, a section's 3000, at most 50 blocks.
/// </summary>
public sealed class SlackSender(HttpDelivery delivery) : IChannelSender
{
    public const int HeaderLength = 150;
    public const int SectionLength = 3000;
    public const int MaxBlocks = 50;

    /// <summary>
    /// All sections together: Slack refuses some messages well under 50 × 3000 characters
    /// (msg_blocks_too_long), so the lines stop at four full sections.
    /// </summary>
    public const int BlocksTextBudget = 4 * SectionLength;

    public ChannelKind Kind => ChannelKind.Slack;

    public async Task<DeliveryAttempt> SendAsync(
        NotificationChannel channel, long messageId, IReadOnlyList<NotificationEvent> events, bool test, CancellationToken cancellationToken)
    {
        if (ChannelUrl.Parse(channel.Url) is not { } url)
        {
            return ChannelUrl.Missing("webhook URL");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(Payload(NotificationText.For(events, test))),
        };
        return await delivery.SendAsync(request, cancellationToken);
    }

    internal static JsonObject Payload(NotificationText text)
    {
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = NotificationText.Truncate(text.Title, HeaderLength) },
            },
        };
        if (text.Test)
        {
            blocks.Add(Section("_" + NotificationText.TestNotice + "_"));
        }
        var lines = NotificationText.Fit(text.Lines(sensor => "`" + Escape(sensor) + "`"), BlocksTextBudget);
        foreach (var chunk in Chunks(lines))
        {
            if (blocks.Count == MaxBlocks)
            {
                break;
            }
            blocks.Add(Section(chunk));
        }

        var fallback = new List<string> { Escape(text.Title) };
        if (text.Test)
        {
            fallback.Add(NotificationText.TestNotice);
        }
        fallback.AddRange(text.Lines(Escape));
        return new JsonObject
        {
            ["text"] = string.Join('\n', NotificationText.Fit(fallback, SectionLength)),
            ["blocks"] = blocks,
        };
    }

    /// <summary>Packs lines into section texts of at most <see cref="SectionLength"/> characters.</summary>
    private static IEnumerable<string> Chunks(IReadOnlyList<string> lines)
    {
        var chunk = new List<string>();
        var length = 0;
        foreach (var line in lines)
        {
            var cost = (chunk.Count > 0 ? 1 : 0) + line.Length;
            if (chunk.Count > 0 && length + cost > SectionLength)
            {
                yield return string.Join('\n', chunk);
                chunk.Clear();
                length = 0;
                cost = line.Length;
            }
            chunk.Add(line);
            length += cost;
        }
        if (chunk.Count > 0)
        {
            yield return string.Join('\n', chunk);
        }
    }

    private static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn },
    };

    /// <summary>The three characters Slack's formatting gives meaning to (links and mentions), as Slack says to escape them.</summary>
    internal static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);
}
