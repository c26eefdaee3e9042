using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BlazorIot.Server.Notifications.Senders;
using BlazorIot.Shared.Notifications;

namespace BlazorIot.Tests.Notifications.Senders;

public sealed class SlackSenderTests
{
    [Fact]
    public async Task One_crossing_posts_a_header_a_mrkdwn_section_and_a_fallback_text()
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        using var services = SenderServices.Build();

        var attempt = await services.Sender(ChannelKind.Slack).SendAsync(
            SenderServices.Channel(ChannelKind.Slack, receiver.Url("/services/T0/B0/xyz")), 1, [SenderServices.Above()], test: false, CancellationToken.None);

        Assert.True(attempt.Delivered);
        var request = receiver.Single;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/services/T0/B0/xyz", request.Path);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        var payload = JsonNode.Parse(request.Body)!;
        Assert.StartsWith("co2 above 1000: 1204.5", (string)payload["text"]!, StringComparison.Ordinal);
        var blocks = payload["blocks"]!.AsArray();
        Assert.Equal("header", (string)blocks[0]!["type"]!);
        Assert.Equal("plain_text", (string)blocks[0]!["text"]!["type"]!);
        Assert.Equal("co2 above 1000: 1204.5", (string)blocks[0]!["text"]!["text"]!);
        Assert.Equal("section", (string)blocks[1]!["type"]!);
        Assert.Equal("mrkdwn", (string)blocks[1]!["text"]!["type"]!);
        Assert.Equal("`co2` above 1000: 1204.5 at 2026-12-07T14:15:00Z", (string)blocks[1]!["text"]!["text"]!);
    }

    [Fact]
    public async Task A_hundred_events_on_long_sensor_names_stay_within_slacks_limits_and_say_how_many_are_left_out()
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        using var services = SenderServices.Build();

        await services.Sender(ChannelKind.Slack).SendAsync(
            SenderServices.Channel(ChannelKind.Slack, receiver.Url("/hook")), 1, SenderServices.Hundred(), test: false, CancellationToken.None);

        var payload = JsonNode.Parse(receiver.Single.Body)!;
        var blocks = payload["blocks"]!.AsArray();
        Assert.InRange(blocks.Count, 2, SlackSender.MaxBlocks);
        Assert.Equal("100 sensor changes", (string)blocks[0]!["text"]!["text"]!);
        var sections = blocks.Skip(1).Select(block => (string)block!["text"]!["text"]!).ToList();
        Assert.All(sections, text => Assert.InRange(text.Length, 1, SlackSender.SectionLength));
        var lines = sections.SelectMany(text => text.Split('\n')).ToList();
        var shown = lines.Count(line => line.Contains(" at 2026-12-07T14:15:00Z", StringComparison.Ordinal));
        var more = int.Parse(Regex.Match(lines[^1], "^and (\\d+) more$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(100, shown + more);
        Assert.True(shown > 10, $"only {shown} events shown");
        Assert.InRange(((string)payload["text"]!).Length, 1, SlackSender.SectionLength);
    }

    [Fact]
    public async Task A_test_message_says_it_is_a_test_from_BlazorIot()
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        using var services = SenderServices.Build();

        await services.Sender(ChannelKind.Slack).SendAsync(
            SenderServices.Channel(ChannelKind.Slack, receiver.Url("/hook")), 1, [SenderServices.Above()], test: true, CancellationToken.None);

        var payload = JsonNode.Parse(receiver.Single.Body)!;
        Assert.StartsWith("Test from BlazorIot", (string)payload["blocks"]![0]!["text"]!["text"]!, StringComparison.Ordinal);
        Assert.Contains(NotificationText.TestNotice, (string)payload["text"]!, StringComparison.Ordinal);
        Assert.Contains(payload["blocks"]!.AsArray(), block => ((string?)block!["text"]!["text"])!.Contains(NotificationText.TestNotice, StringComparison.Ordinal));
    }

    [Fact]
    public void Slacks_control_characters_in_a_name_are_escaped_so_they_cannot_make_a_mention()
    {
        var payload = SlackSender.Payload(NotificationText.For([SenderServices.Above("<!channel>&")], test: false));

        var section = (string)payload["blocks"]![1]!["text"]!["text"]!;
        Assert.DoesNotContain("<!channel>", section, StringComparison.Ordinal);
        Assert.Contains("&lt;!channel&gt;&amp;", section, StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", (string)payload["text"]!, StringComparison.Ordinal);
    }
}
