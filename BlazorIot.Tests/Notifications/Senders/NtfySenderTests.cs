using System.Text;
using System.Text.RegularExpressions;
using BlazorIot.Server.Notifications.Senders;
using BlazorIot.Shared.Notifications;

namespace BlazorIot.Tests.Notifications.Senders;

public sealed class NtfySenderTests
{
    [Fact]
    public async Task A_crossing_is_plain_text_with_a_title_high_priority_a_warning_tag_and_the_token()
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        using var services = SenderServices.Build();

        var attempt = await services.Sender(ChannelKind.Ntfy).SendAsync(
            SenderServices.Channel(ChannelKind.Ntfy, receiver.Url("/greenhouse-alerts"), secret: "tk_secret"), 1,
            [SenderServices.Above(), SenderServices.Cleared("temp")], test: false, CancellationToken.None);

        Assert.True(attempt.Delivered);
        var request = receiver.Single;
        Assert.Equal("/greenhouse-alerts", request.Path);
        Assert.StartsWith("text/plain", request.ContentType, StringComparison.Ordinal);
        Assert.Equal("2 sensor changes", request.Headers["Title"]);
        Assert.Equal("high", request.Headers["Priority"]);
        Assert.Equal("warning,white_check_mark", request.Headers["Tags"]);
        Assert.Equal("Bearer tk_secret", request.Headers["Authorization"]);
        Assert.Equal(
            "co2 above 1000: 1204.5 at 2026-12-07T14:15:00Z\ntemp back within its thresholds: 950 at 2026-12-07T14:15:00Z",
            request.Body);
    }

    [Fact]
    public async Task Good_news_is_default_priority_and_a_channel_without_a_secret_sends_no_authorization()
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        using var services = SenderServices.Build();

        await services.Sender(ChannelKind.Ntfy).SendAsync(
            SenderServices.Channel(ChannelKind.Ntfy, receiver.Url("/topic")), 1, [SenderServices.Back(), SenderServices.Cleared()], test: false, CancellationToken.None);

        var request = receiver.Single;
        Assert.Equal("default", request.Headers["Priority"]);
        Assert.Equal("white_check_mark", request.Headers["Tags"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task A_silence_is_high_priority_with_the_sleeping_tag()
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        using var services = SenderServices.Build();

        await services.Sender(ChannelKind.Ntfy).SendAsync(
            SenderServices.Channel(ChannelKind.Ntfy, receiver.Url("/topic")), 1, [SenderServices.Silent()], test: false, CancellationToken.None);

        var request = receiver.Single;
        Assert.Equal("high", request.Headers["Priority"]);
        Assert.Equal("zzz", request.Headers["Tags"]);
        Assert.Equal("door silent: no reading since 14:03 UTC (12 min)", request.Headers["Title"]);
    }

    [Fact]
    public async Task A_title_that_is_not_ascii_goes_rfc_2047_encoded()
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        using var services = SenderServices.Build();

        await services.Sender(ChannelKind.Ntfy).SendAsync(
            SenderServices.Channel(ChannelKind.Ntfy, receiver.Url("/topic")), 1, [SenderServices.Above("küche")], test: false, CancellationToken.None);

        var match = Regex.Match(receiver.Single.Headers["Title"], "^=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]+)\\?=$");
        Assert.True(match.Success, receiver.Single.Headers["Title"]);
        Assert.Equal("küche above 1000: 1204.5", Encoding.UTF8.GetString(Convert.FromBase64String(match.Groups[1].Value)));
    }

    [Fact]
    public async Task A_hundred_events_on_long_sensor_names_stay_within_ntfys_message_size_and_say_how_many_are_left_out()
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        using var services = SenderServices.Build();

        await services.Sender(ChannelKind.Ntfy).SendAsync(
            SenderServices.Channel(ChannelKind.Ntfy, receiver.Url("/topic")), 1, SenderServices.Hundred(), test: false, CancellationToken.None);

        var body = receiver.Single.Body;
        Assert.InRange(Encoding.UTF8.GetByteCount(body), 1, NtfySender.BodyBytes);
        var lines = body.Split('\n');
        var more = int.Parse(Regex.Match(lines[^1], "^and (\\d+) more$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(100, lines.Length - 1 + more);
        Assert.Equal("warning,white_check_mark,zzz", receiver.Single.Headers["Tags"]);
    }

    [Fact]
    public async Task A_test_message_says_it_is_a_test_from_BlazorIot()
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        using var services = SenderServices.Build();

        await services.Sender(ChannelKind.Ntfy).SendAsync(
            SenderServices.Channel(ChannelKind.Ntfy, receiver.Url("/topic")), 1, [], test: true, CancellationToken.None);

        var request = receiver.Single;
        Assert.Equal("Test notification from BlazorIot", request.Headers["Title"]);
        Assert.Equal("test", request.Headers["Tags"]);
        Assert.Equal("default", request.Headers["Priority"]);
        Assert.Equal(NotificationText.TestNotice, request.Body);
    }
}
