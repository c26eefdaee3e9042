using BlazorIot.Shared.Notifications;

namespace BlazorIot.Tests.Notifications.Senders;

/// <summary>Every HTTP kind tells the outbox the same thing about the receiver's answer.</summary>
public sealed class SenderAnswerTests
{
    public static TheoryData<ChannelKind> HttpKinds => [ChannelKind.Slack, ChannelKind.Discord, ChannelKind.Ntfy];

    [Theory]
    [MemberData(nameof(HttpKinds))]
    public async Task A_2xx_is_delivered_with_the_receivers_answer(ChannelKind kind)
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        receiver.Answer = new ScriptedAnswer(200, "ok");
        using var services = SenderServices.Build();

        var attempt = await Send(services, kind, receiver);

        Assert.True(attempt.Delivered);
        Assert.Equal(200, attempt.Status);
        Assert.Equal("ok", attempt.Answer);
        Assert.Single(receiver.Received);
    }

    [Theory]
    [MemberData(nameof(HttpKinds))]
    public async Task A_500_is_tried_again(ChannelKind kind)
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        receiver.Answer = new ScriptedAnswer(500, "oops");
        using var services = SenderServices.Build();

        var attempt = await Send(services, kind, receiver);

        Assert.False(attempt.Delivered);
        Assert.False(attempt.Permanent);
        Assert.Equal(500, attempt.Status);
    }

    [Theory]
    [MemberData(nameof(HttpKinds))]
    public async Task A_404_is_refused_for_good(ChannelKind kind)
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        receiver.Answer = new ScriptedAnswer(404, "no_service");
        using var services = SenderServices.Build();

        var attempt = await Send(services, kind, receiver);

        Assert.False(attempt.Delivered);
        Assert.True(attempt.Permanent);
        Assert.Equal(404, attempt.Status);
        Assert.Equal("no_service", attempt.Answer);
    }

    [Theory]
    [MemberData(nameof(HttpKinds))]
    public async Task A_429_is_tried_again_after_the_receivers_Retry_After(ChannelKind kind)
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        receiver.Answer = new ScriptedAnswer(429, "slow down", RetryAfter: "17");
        using var services = SenderServices.Build();

        var attempt = await Send(services, kind, receiver);

        Assert.False(attempt.Delivered);
        Assert.False(attempt.Permanent);
        Assert.Equal(TimeSpan.FromSeconds(17), attempt.RetryAfter);
    }

    [Theory]
    [MemberData(nameof(HttpKinds))]
    public async Task A_channel_without_an_absolute_http_url_is_refused_without_sending(ChannelKind kind)
    {
        using var services = SenderServices.Build();

        foreach (var url in new[] { null, "", "hooks/relative", "ftp://127.0.0.1/topic" })
        {
            var attempt = await services.Sender(kind).SendAsync(
                SenderServices.Channel(kind, url), 1, [SenderServices.Above()], test: false, CancellationToken.None);

            Assert.False(attempt.Delivered);
            Assert.True(attempt.Permanent, url);
            Assert.Null(attempt.Status);
        }
    }

    private static Task<BlazorIot.Server.Notifications.DeliveryAttempt> Send(IServiceProvider services, ChannelKind kind, ScriptedReceiver receiver) =>
        services.Sender(kind).SendAsync(
            SenderServices.Channel(kind, receiver.Url("/hook")), 1, [SenderServices.Above()], test: false, CancellationToken.None);
}
