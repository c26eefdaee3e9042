using StackExchange.Redis;

namespace BlazorIot.Server.Storage.Postgres;

/// <summary>
/// An optional second wake-up between instances (<c>ConnectionStrings:Redis</c>): after a commit
/// the writer announces its last id on a Redis channel and every instance's feed looks at once.
/// Only a hint: PostgreSQL stays the source of truth, and with Redis down the feeds still learn of
/// new rows by LISTEN/NOTIFY and their periodic catch-up. The client reconnects by itself.
/// </summary>
public sealed partial class RedisWakeUp(IConfiguration configuration, PostgresFeed feed, ILogger<RedisWakeUp> logger) : IHostedService, IAsyncDisposable
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("blazoriot:readings");
    private ConnectionMultiplexer? redis;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetConnectionString("Redis") is not { Length: > 0 } connectionString)
        {
            return;
        }
        var options = ConfigurationOptions.Parse(connectionString);
        // Start and keep running without Redis: it is only a hint.
        options.AbortOnConnectFail = false;
        redis = await ConnectionMultiplexer.ConnectAsync(options);
        redis.ConnectionFailed += (_, e) => LogLost(e.Exception, e.FailureType);
        await redis.GetSubscriber().SubscribeAsync(Channel, (_, _) => feed.Wake());
    }

    /// <summary>Tells the other instances that ids up to <paramref name="last"/> are committed; never waits, never throws.</summary>
    public void Announce(long last)
    {
        if (redis is { IsConnected: true } connected)
        {
            connected.GetSubscriber().Publish(Channel, last, CommandFlags.FireAndForget);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost Redis ({FailureType}); instances still learn of new readings through PostgreSQL.")]
    private partial void LogLost(Exception? exception, ConnectionFailureType failureType);
}
