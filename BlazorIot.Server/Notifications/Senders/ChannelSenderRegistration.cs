namespace BlazorIot.Server.Notifications.Senders;

public static class ChannelSenderRegistration
{
    /// <summary>
    /// The Slack, Discord, ntfy and e-mail senders, as <see cref="IChannelSender"/>s. The HTTP ones
    /// need <see cref="HttpDelivery"/> and the e-mail one a <see cref="TimeProvider"/>, both registered elsewhere.
    /// </summary>
    public static IServiceCollection AddChannelSenders(this IServiceCollection services)
    {
        services.AddSingleton<IChannelSender, SlackSender>();
        services.AddSingleton<IChannelSender, DiscordSender>();
        services.AddSingleton<IChannelSender, NtfySender>();
        services.AddSingleton<IChannelSender, EmailSender>();
        return services;
    }
}
