using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BlazorIot.Server.Notifications.Senders;
using BlazorIot.Shared.Notifications;

namespace BlazorIot.Tests.Notifications.Senders;

public sealed class DiscordSenderTests
{
    [Fact]
    public async Task A_message_waits_for_discord_mentions_nobody_and_colours_each_kind_of_change()
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        receiver.Answer = new ScriptedAnswer(200, """{"id":"1"}""");
        using var services = SenderServices.Build();

        var attempt = await services.Sender(ChannelKind.Discord).SendAsync(
            SenderServices.Channel(ChannelKind.Discord, receiver.Url("/api/webhooks/1/abc?thread_id=5")), 1,
            [SenderServices.Cleared("temp"), SenderServices.Above(), SenderServices.Silent()], test: false, CancellationToken.None);

        Assert.True(attempt.Delivered);
        var request = receiver.Single;
        Assert.Equal("/api/webhooks/1/abc", request.Path);
        Assert.Contains("wait=true", request.Query, StringComparison.Ordinal);
        Assert.Contains("thread_id=5", request.Query, StringComparison.Ordinal);
        var payload = JsonNode.Parse(request.Body)!;
        Assert.Empty(payload["allowed_mentions"]!["parse"]!.AsArray());
        Assert.Equal("3 sensor changes", (string)payload["content"]!);
        var embeds = payload["embeds"]!.AsArray();
        Assert.Equal(3, embeds.Count);
        Assert.Equal(("co2 above 1000: 1204.5", DiscordSender.Red), ((string)embeds[0]!["title"]!, (int)embeds[0]!["color"]!));
        Assert.Equal(DiscordSender.Amber, (int)embeds[1]!["color"]!);
        Assert.StartsWith("door silent: no reading since 14:03 UTC (12 min)", (string)embeds[1]!["title"]!, StringComparison.Ordinal);
        Assert.Equal(DiscordSender.Green, (int)embeds[2]!["color"]!);
        Assert.Equal("`temp` back within its thresholds: 950 at 2026-12-07T14:15:00Z", (string)embeds[2]!["description"]!);
        Assert.Equal("2026-12-07T14:15:00Z", (string)embeds[2]!["timestamp"]!);
    }

    [Fact]
    public async Task A_hundred_events_on_long_sensor_names_stay_within_discords_limits_and_say_how_many_are_left_out()
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        using var services = SenderServices.Build();

        await services.Sender(ChannelKind.Discord).SendAsync(
            SenderServices.Channel(ChannelKind.Discord, receiver.Url("/hook")), 1, SenderServices.Hundred(), test: false, CancellationToken.None);

        var payload = JsonNode.Parse(receiver.Single.Body)!;
        Assert.InRange(((string)payload["content"]!).Length, 1, DiscordSender.ContentLength);
        var embeds = payload["embeds"]!.AsArray();
        Assert.InRange(embeds.Count, 1, 10);
        var total = 0;
        var accounted = 0;
        foreach (var embed in embeds)
        {
            var title = (string)embed!["title"]!;
            var description = (string)embed["description"]!;
            Assert.InRange(title.Length, 1, DiscordSender.TitleLength);
            Assert.InRange(description.Length, 1, DiscordSender.DescriptionLength);
            total += title.Length + description.Length;
            var lines = description.Split('\n');
            accounted += lines.Count(line => line.EndsWith(" at 2026-12-07T14:15:00Z", StringComparison.Ordinal));
            var more = Regex.Match(lines[^1], "^and (\\d+) more$");
            accounted += more.Success ? int.Parse(more.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        }
        Assert.InRange(total, 1, DiscordSender.EmbedsTotalLength);
        Assert.Equal(100, accounted);
    }

    [Fact]
    public async Task A_test_message_says_it_is_a_test_from_BlazorIot()
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        using var services = SenderServices.Build();

        await services.Sender(ChannelKind.Discord).SendAsync(
            SenderServices.Channel(ChannelKind.Discord, receiver.Url("/hook")), 1, [], test: true, CancellationToken.None);

        var content = (string)JsonNode.Parse(receiver.Single.Body)!["content"]!;
        Assert.StartsWith("Test notification from BlazorIot", content, StringComparison.Ordinal);
        Assert.Contains(NotificationText.TestNotice, content, StringComparison.Ordinal);
    }
}
