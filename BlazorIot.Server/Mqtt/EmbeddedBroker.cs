using System.Net;
using BlazorIot.Server.Operations;
using BlazorIot.Server.Security;
using Microsoft.Extensions.Options;
using MQTTnet.AspNetCore;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace BlazorIot.Server.Mqtt;

/// <summary>
/// The rules of the embedded MQTT server: who may connect (a device key as the password, unless
/// ingest is open), what a publish on an ingest topic becomes (a stored reading, acknowledged only
/// once committed) and which subscriptions are refused.
/// </summary>
/// <remarks>
/// MQTTnet handles one client's packets in order and sends a QoS 1 PUBACK only after the publish
/// interceptor has returned, so awaiting the commit there is what makes a PUBACK mean "stored".
/// </remarks>
public sealed partial class EmbeddedBroker(
    MqttReadingIngest ingest, IngestGate gate, IngestRateLimiter rateLimiter, IOptions<MqttOptions> options, IOptions<ViewerOptions> viewers,
    TimeProvider time, BlazorIotMetrics metrics, ILogger<EmbeddedBroker> logger)
{
    /// <summary>The client id our own messages (state, discovery) are sent under; no device may take it.</summary>
    public const string ServerClientId = "blazoriot-server";

    // Session items: what the client presented at connect, and whether it holds a connection slot.
    private const string PasswordItem = "blazoriot.password";
    private const string SlotItem = "blazoriot.slot";
    private const string AddressItem = "blazoriot.address";
    private const string WindowItem = "blazoriot.qos0-window";
    private const string FiltersItem = "blazoriot.filters";

    private int connections;

    /// <summary>Marks messages this server injects itself, so the publish rules let them through.</summary>
    public static readonly object ServerMessage = new();

    public void Attach(MqttServer server, MqttConnectionHandler connections)
    {
        // The server hands its client handler to the connection handler as it starts; wrapped then.
        server.StartedAsync += _ =>
        {
            var handle = connections.ClientHandler;
            connections.ClientHandler = channel => handle(new CleanSessionChannel(channel));
            return Task.CompletedTask;
        };
        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.ClientConnectedAsync += OnConnectedAsync;
        server.ClientDisconnectedAsync += OnDisconnectedAsync;
        server.InterceptingPublishAsync += InterceptPublishAsync;
        server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        server.InterceptingUnsubscriptionAsync += InterceptUnsubscriptionAsync;
        server.InterceptingInboundPacketAsync += InterceptInboundPacketAsync;
    }

    /// <summary>Clients connected now.</summary>
    public int Connections => Volatile.Read(ref connections);

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs args)
    {
        if (string.IsNullOrEmpty(args.ClientId))
        {
            // An MQTT 5 client asks the server for an id this way; MQTTnet sends it back in the CONNACK.
            args.AssignedClientIdentifier = CleanSessionChannel.NewClientId();
        }
        if (args.ClientId == ServerClientId)
        {
            Refuse(args, MqttConnectReasonCode.ClientIdentifierNotValid, $"the client id '{ServerClientId}' is the server's own");
            return;
        }
        var key = await gate.CheckAsync(args.Password, args.CancellationToken);
        if (!key.Passed)
        {
            Refuse(args, MqttConnectReasonCode.BadUserNameOrPassword, key.Status == KeyCheckStatus.Missing
                ? "a device key is required as the password (any user name)"
                : "the device key given as the password is unknown or revoked");
            return;
        }
        if (Interlocked.Increment(ref connections) > options.Value.MaxConnections)
        {
            Interlocked.Decrement(ref connections);
            Refuse(args, MqttConnectReasonCode.ServerUnavailable, $"the broker already has Mqtt:MaxConnections ({options.Value.MaxConnections}) clients");
            return;
        }
        args.SessionItems[SlotItem] = true;
        args.SessionItems[PasswordItem] = args.Password;
        args.SessionItems[AddressItem] = (args.RemoteEndPoint as IPEndPoint)?.Address;
        args.SessionItems[WindowItem] = new SemaphoreSlim(QoS0CommitsInFlight, QoS0CommitsInFlight);
        args.SessionItems[FiltersItem] = new HashSet<string>(StringComparer.Ordinal);
    }

    private void Refuse(ValidatingConnectionEventArgs args, MqttConnectReasonCode code, string reason)
    {
        args.ReasonCode = code;
        args.ReasonString = reason;
        metrics.MqttRejected(code == MqttConnectReasonCode.ServerUnavailable ? "too_many_connections" : "connection_refused");
        LogConnectionRefused(args.ClientId, args.RemoteEndPoint?.ToString(), reason);
    }

    private Task OnConnectedAsync(ClientConnectedEventArgs args)
    {
        metrics.MqttConnected();
        LogConnected(args.ClientId, args.RemoteEndPoint?.ToString(), args.ProtocolVersion.ToString());
        return Task.CompletedTask;
    }

    private Task OnDisconnectedAsync(ClientDisconnectedEventArgs args)
    {
        // Each slot is given back once, whichever way the connection ended (a takeover included).
        if (args.SessionItems is { } items && items.Contains(SlotItem))
        {
            items.Remove(SlotItem);
            Interlocked.Decrement(ref connections);
            metrics.MqttDisconnected();
        }
        return Task.CompletedTask;
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs args)
    {
        if (args.SessionItems.Contains(ServerMessage))
        {
            return;
        }
        // Ingest topics are not relayed to subscribers: the reading goes out through the store, once.
        args.ProcessPublish = false;
        var message = args.ApplicationMessage;
        var password = args.SessionItems[PasswordItem] as string;
        // The key is checked again on every message, as HTTP does on every request, so a revoked key stops at once.
        var key = await gate.CheckAsync(password, args.CancellationToken);
        if (key.Passed)
        {
            // Every publish, stored or refused, draws from the bucket: refusals cost a log line too.
            await WaitForRateAsync(key, args, args.CancellationToken);
        }
        var outcome = ingest.Check(args.ClientId, message.Topic, message.Payload, message.Retain, key, out var readings);
        if (!key.Passed)
        {
            // The key was revoked (or ingest closed) since the client connected. Closing without an
            // acknowledgement keeps the message on the device, which then learns at CONNECT why it is
            // refused, where a 3.1.1 client would take a PUBACK for "stored".
            args.CloseConnection = true;
            return;
        }
        if (outcome == MqttOutcome.Stored)
        {
            if (message.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce)
            {
                await StoreWithoutAcknowledgementAsync(args, readings!);
                return;
            }
            outcome = await ingest.StoreAsync(args.ClientId, message.Topic, readings!, args.CancellationToken);
        }
        switch (outcome)
        {
            case MqttOutcome.Stored:
                break;
            case MqttOutcome.StoreUnavailable:
                // No acknowledgement at all: the client keeps the message and sends it again after reconnecting.
                args.CloseConnection = true;
                break;
            default:
                args.Response.ReasonCode = outcome switch
                {
                    MqttOutcome.NotAuthorized => MqttPubAckReasonCode.NotAuthorized,
                    MqttOutcome.UnknownTopic => MqttPubAckReasonCode.TopicNameInvalid,
                    MqttOutcome.Retained => MqttPubAckReasonCode.ImplementationSpecificError,
                    MqttOutcome.TooLarge => MqttPubAckReasonCode.QuotaExceeded,
                    _ => MqttPubAckReasonCode.PayloadFormatInvalid,
                };
                break;
        }
    }

    // QoS 0 sends no acknowledgement, so nothing needs to wait for the commit: up to
    // QoS0CommitsInFlight messages of one client are committing at once (queued in order, so they
    // commit in order), and the client's next packet is read only when one of them is done. That
    // bounds the work one client can queue while letting its messages share group commits.
    private async Task StoreWithoutAcknowledgementAsync(InterceptingPublishEventArgs args, List<BlazorIot.Server.Ingest.ReadingInput> readings)
    {
        var window = (SemaphoreSlim)args.SessionItems[WindowItem]!;
        await window.WaitAsync(args.CancellationToken);
        var topic = args.ApplicationMessage.Topic;
        var clientId = args.ClientId;
        _ = CommitAsync();

        async Task CommitAsync()
        {
            try
            {
                // Not the connection's token: a message taken is stored even if its sender has gone.
                await ingest.StoreAsync(clientId, topic, readings, CancellationToken.None);
            }
            catch (Exception exception)
            {
                LogQoS0CommitFailed(exception, clientId, topic);
            }
            finally
            {
                window.Release();
            }
        }
    }

    private const int QoS0CommitsInFlight = 32;

    // MQTT 3.1.1 has no way to refuse one message, so a publisher over its rate is slowed rather than
    // dropped: its next packet is read only once its bucket (shared with HTTP) has a token again.
    private async Task WaitForRateAsync(KeyCheck key, InterceptingPublishEventArgs args, CancellationToken cancellationToken)
    {
        var address = args.SessionItems[AddressItem] as IPAddress;
        var throttled = false;
        while (true)
        {
            using var lease = rateLimiter.Acquire(key.Key?.Id, address);
            if (lease.IsAcquired)
            {
                return;
            }
            if (!throttled)
            {
                throttled = true;
                metrics.MqttRejected("throttled");
            }
            var wait = lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private async Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs args)
    {
        var filter = args.TopicFilter.Topic;
        if (MqttTopics.CanMatchIngest(filter))
        {
            RefuseSubscription(args, MqttSubscribeReasonCode.NotAuthorized, $"ingest topics are not relayed; subscribe to {MqttTopics.State("+")} for stored readings");
            return;
        }
        if (viewers.Value.Enabled)
        {
            // Sensor state is what the dashboard shows: with viewer sign-in on, only a key for every
            // sensor (Home Assistant's, say) may read it, not a device key limited to a few sensors.
            var key = await gate.CheckAsync(args.SessionItems[PasswordItem] as string, args.CancellationToken);
            if (key.Status != KeyCheckStatus.Valid || key.Key!.Sensors is not null)
            {
                RefuseSubscription(args, MqttSubscribeReasonCode.NotAuthorized, "the dashboard requires sign-in: subscribing needs a device key for all sensors");
                return;
            }
        }
        var filters = (HashSet<string>)args.SessionItems[FiltersItem]!;
        lock (filters)
        {
            if (!filters.Contains(filter) && filters.Count >= MaxSubscriptionsPerClient)
            {
                RefuseSubscription(args, MqttSubscribeReasonCode.QuotaExceeded, $"a client holds at most {MaxSubscriptionsPerClient} subscriptions");
                return;
            }
            filters.Add(filter);
        }
    }

    private Task InterceptUnsubscriptionAsync(InterceptingUnsubscriptionEventArgs args)
    {
        var filters = (HashSet<string>)args.SessionItems[FiltersItem]!;
        lock (filters)
        {
            filters.Remove(args.Topic);
        }
        return Task.CompletedTask;
    }

    private void RefuseSubscription(InterceptingSubscriptionEventArgs args, MqttSubscribeReasonCode code, string reason)
    {
        args.ProcessSubscription = false;
        args.Response.ReasonCode = code;
        args.ReasonString = reason;
        metrics.MqttRejected("subscription_refused");
        LogSubscriptionRefused(args.ClientId, args.TopicFilter.Topic, reason);
    }

    // MQTTnet keeps every topic alias a client sets (up to 65,535, each a topic of up to 64 KiB)
    // before any publish rule runs: publishes past these small limits are ignored instead.
    private Task InterceptInboundPacketAsync(InterceptingPacketEventArgs args)
    {
        if (args.Packet is MqttPublishPacket publish && (publish.TopicAlias > MaxTopicAliases || (publish.Topic?.Length ?? 0) > MaxTopicLength))
        {
            args.ProcessPacket = false;
            metrics.MqttRejected("topic_limit");
            LogTopicLimit(args.ClientId, MaxTopicAliases, MaxTopicLength);
        }
        return Task.CompletedTask;
    }

    private const int MaxSubscriptionsPerClient = 64;
    private const int MaxTopicAliases = 16;
    private const int MaxTopicLength = 512;

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT client '{ClientId}': a QoS 0 message on '{Topic}' could not be stored.")]
    private partial void LogQoS0CommitFailed(Exception exception, string clientId, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT client '{ClientId}' from {Endpoint} refused: {Reason}.")]
    private partial void LogConnectionRefused(string clientId, string? endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT client '{ClientId}' connected from {Endpoint} ({Protocol}).")]
    private partial void LogConnected(string clientId, string? endpoint, string protocol);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT client '{ClientId}': subscription to '{Filter}' refused: {Reason}.")]
    private partial void LogSubscriptionRefused(string clientId, string filter, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT client '{ClientId}': a publish ignored: topic aliases go up to {MaxAliases} and topics up to {MaxLength} characters.")]
    private partial void LogTopicLimit(string clientId, int maxAliases, int maxLength);
}
