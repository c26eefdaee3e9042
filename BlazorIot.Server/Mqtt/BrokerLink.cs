using System.Text.RegularExpressions;
using BlazorIot.Server.Operations;
using BlazorIot.Server.Storage;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace BlazorIot.Server.Mqtt;

/// <summary>
/// Broker mode: this server as a client of an existing broker (<c>ConnectionStrings:Mqtt</c>). A
/// persistent MQTT 5 session keeps the ingest subscriptions and queues messages on the broker
/// while the server is away; each message is acknowledged only once committed (see
/// <see cref="BrokerConnection"/>). A lost connection is opened again with exponential backoff.
/// It is also the outlet the server's own messages (state, discovery) are published through.
/// </summary>
public sealed partial class BrokerLink(
    BrokerAddress address,
    MqttReadingIngest ingest,
    IOptions<MqttOptions> options,
    IOptions<StorageOptions> storageOptions,
    TimeProvider time,
    BlazorIotMetrics metrics,
    ILogger<BrokerLink> logger) : BackgroundService, IMqttOutlet
{
    /// <summary>The shared-subscription group every instance joins, so the broker gives each message to one of them.</summary>
    public const string ShareGroup = "blazoriot";

    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromSeconds(1);

    private readonly MqttClientFactory clientFactory = new();
    private IMqttClient? connected;
    private string problem = "not connected yet";

    public string ClientId { get; } = options.Value.ClientId ?? DefaultClientId(Environment.MachineName);

    public BrokerAddress Address => address;

    public bool IsReady => Volatile.Read(ref connected) is { IsConnected: true };

    /// <summary>Why the link is not connected now (the last failure).</summary>
    public string Problem => Volatile.Read(ref problem);

    public event Action? BecameReady;

    /// <summary>The ingest filters; behind <c>$share/</c> when several instances share one PostgreSQL store.</summary>
    public IReadOnlyList<string> Filters { get; } = storageOptions.Value.Provider == StorageProvider.Postgres
        ? [$"$share/{ShareGroup}/{MqttTopics.AllSensorReadings}", $"$share/{ShareGroup}/{MqttTopics.Readings}"]
        : [MqttTopics.AllSensorReadings, MqttTopics.Readings];

    /// <exception cref="InvalidOperationException">The link is not connected (see <see cref="IsReady"/>).</exception>
    public async Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var client = Volatile.Read(ref connected) ?? throw new InvalidOperationException($"Not connected to the MQTT broker at {address}: {Problem}.");
        await client.PublishAsync(message, cancellationToken);
    }

    /// <summary>"blazoriot-" and the machine name, in the characters MQTT brokers accept everywhere: stable across restarts, so the session is found again.</summary>
    public static string DefaultClientId(string machineName)
    {
        var id = "blazoriot-" + InvalidClientIdCharacters().Replace(machineName, "-");
        return id.Length <= 64 ? id : id[..64];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wasUsable = await RunConnectionAsync(stoppingToken);
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            // A connection that worked starts the backoff again; a broker that keeps refusing is asked less and less often.
            failures = wasUsable ? 1 : failures + 1;
            var delay = TimeSpan.FromTicks(Math.Min(options.Value.MaxReconnectDelay.Ticks, FirstReconnectDelay.Ticks << Math.Min(failures - 1, 30)));
            LogReconnecting(address.ToString(), delay, Problem);
            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One connection from connect to its end; true when it was connected, subscribed and ended for a reason other than the store.</summary>
    private async Task<bool> RunConnectionAsync(CancellationToken stoppingToken)
    {
        using var client = clientFactory.CreateMqttClient();
        using var connection = new BrokerConnection(client, ingest, logger, stoppingToken);
        try
        {
            var result = await client.ConnectAsync(ClientOptions(), stoppingToken);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                Fail($"the broker refused the connection: {result.ResultCode}{(result.ReasonString is { Length: > 0 } reason ? $" ({reason})" : "")}");
                return false;
            }
            var subscribed = await client.SubscribeAsync(SubscribeOptions(), stoppingToken);
            if (subscribed.Items.FirstOrDefault(item => item.ResultCode is not (MqttClientSubscribeResultCode.GrantedQoS0 or MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2)) is { } refused)
            {
                Fail($"the broker refused the subscription to '{refused.TopicFilter.Topic}': {refused.ResultCode}");
                await client.TryDisconnectAsync(MqttClientDisconnectOptionsReason.NormalDisconnection);
                return false;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception exception)
        {
            Fail($"cannot connect ({exception.GetBaseException().Message})");
            return false;
        }

        Volatile.Write(ref connected, client);
        metrics.MqttConnected();
        LogConnected(address.ToString(), ClientId, string.Join(", ", Filters));
        RaiseBecameReady();
        var (ending, storeUnavailable) = await connection.AcknowledgeUntilEndAsync();
        Volatile.Write(ref connected, null);
        metrics.MqttDisconnected();
        Volatile.Write(ref problem, ending);
        if (stoppingToken.IsCancellationRequested)
        {
            // A clean DISCONNECT keeps the session (its expiry was set in CONNECT): what arrives meanwhile waits on the broker.
            await client.TryDisconnectAsync(MqttClientDisconnectOptionsReason.NormalDisconnection);
        }
        else
        {
            LogDisconnected(address.ToString(), ending);
            await client.TryDisconnectAsync(MqttClientDisconnectOptionsReason.UnspecifiedError, ending);
        }
        await connection.DrainAsync();
        return !storeUnavailable;
    }

    private MqttClientOptions ClientOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(address.Host, address.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(ClientId)
            // A persistent session: the subscriptions and the messages queued while away survive a restart.
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)Math.Min(uint.MaxValue, options.Value.SessionExpiry.TotalSeconds))
            .WithReceiveMaximum(BrokerConnection.InFlightLimit)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (address.UserName is { } user)
        {
            builder.WithCredentials(user, address.Password);
        }
        if (options.Value.PublishState || options.Value.HomeAssistantDiscovery)
        {
            // After a crash the broker says "offline" for us; a graceful stop says it itself.
            builder.WithWillTopic(MqttTopics.Availability)
                .WithWillPayload(HomeAssistantDiscovery.PayloadNotAvailable)
                .WithWillRetain()
                .WithWillQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce);
        }
        return builder.Build();
    }

    private MqttClientSubscribeOptions SubscribeOptions()
    {
        var builder = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in Filters)
        {
            // Retained messages are never ingested (as in embedded mode): the flag is kept on live
            // messages so MqttReadingIngest can see it, and the broker's stored ones are not sent at all.
            builder.WithTopicFilter(topic => topic
                .WithTopic(filter)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithRetainAsPublished()
                .WithRetainHandling(MqttRetainHandling.DoNotSendOnSubscribe));
        }
        return builder.Build();
    }

    private void Fail(string reason)
    {
        Volatile.Write(ref problem, reason);
        LogConnectFailed(address.ToString(), ClientId, reason);
    }

    private void RaiseBecameReady()
    {
        try
        {
            BecameReady?.Invoke();
        }
        catch (Exception exception)
        {
            LogBecameReadyFailed(exception);
        }
    }

    [GeneratedRegex("[^A-Za-z0-9_.-]")]
    private static partial Regex InvalidClientIdCharacters();

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT broker link: connected to {Broker} as '{ClientId}', subscribed to {Filters}.")]
    private partial void LogConnected(string broker, string clientId, string filters);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker link: connection to {Broker} as '{ClientId}' failed: {Reason}.")]
    private partial void LogConnectFailed(string broker, string clientId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker link: disconnected from {Broker}: {Reason}.")]
    private partial void LogDisconnected(string broker, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT broker link: connecting to {Broker} again in {Delay} (last problem: {Reason}).")]
    private partial void LogReconnecting(string broker, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT broker link: a BecameReady handler failed.")]
    private partial void LogBecameReadyFailed(Exception exception);
}
