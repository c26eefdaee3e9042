using System.Threading.Channels;
using BlazorIot.Server.Security;
using MQTTnet;

namespace BlazorIot.Server.Mqtt;

/// <summary>
/// One connection of the broker link: takes each delivered message through
/// <see cref="MqttReadingIngest"/> and acknowledges it once committed (or rejected), in the order
/// the broker sent them, as MQTT requires of PUBACKs. Several messages are committed at once (up
/// to <see cref="InFlightLimit"/>), so they share the store's group commits.
/// </summary>
/// <remarks>
/// MQTTnet's client hands this connection's messages to the received handler one at a time, from
/// one task, and sends the PUBACK itself after the handler returns unless the handler turns
/// <c>AutoAcknowledge</c> off. Here the handler starts the ingest and returns; the acknowledging
/// loop awaits each outcome in turn. The broker never has more than <see cref="InFlightLimit"/>
/// messages unacknowledged (Receive Maximum, sent in CONNECT), and the queue is bounded by it too.
/// A connection is never reused: an acknowledgement carries a packet identifier of its own
/// connection and must not reach the next one.
/// </remarks>
public sealed partial class BrokerConnection : IDisposable
{
    /// <summary>Messages being committed at once; also the Receive Maximum this client announces.</summary>
    public const ushort InFlightLimit = 64;

    private readonly MqttReadingIngest ingest;
    private readonly ILogger logger;
    private readonly CancellationToken stopping;
    private readonly CancellationTokenSource lifetime;
    private readonly Channel<Delivery> deliveries = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(InFlightLimit)
    {
        SingleReader = true,
        SingleWriter = true,
    });

    private string endReason = "the connection was closed";

    public BrokerConnection(IMqttClient client, MqttReadingIngest ingest, ILogger logger, CancellationToken stopping)
    {
        this.ingest = ingest;
        this.logger = logger;
        this.stopping = stopping;
        lifetime = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        client.ApplicationMessageReceivedAsync += OnReceivedAsync;
        client.DisconnectedAsync += args =>
        {
            End(args.ReasonString is { Length: > 0 } reason ? $"the broker closed the connection ({args.Reason}: {reason})"
                : args.Exception is { } exception ? $"the connection was lost ({exception.Message})"
                : $"the connection was closed ({args.Reason})");
            return Task.CompletedTask;
        };
    }

    /// <summary>Acknowledges committed messages in order until the connection ends; returns why it ended, and whether the store was why.</summary>
    public async Task<(string Reason, bool StoreUnavailable)> AcknowledgeUntilEndAsync()
    {
        var storeUnavailable = false;
        try
        {
            await foreach (var delivery in deliveries.Reader.ReadAllAsync(lifetime.Token))
            {
                var outcome = await OutcomeOf(delivery);
                if (outcome == MqttOutcome.StoreUnavailable)
                {
                    // Not acknowledged: the broker sends it (and what follows) again only on a new connection.
                    storeUnavailable = true;
                    End("the store could not commit a message; reconnecting so the broker delivers it again");
                    break;
                }
                // A rejected message is acknowledged too (it was counted and logged): unacknowledged, it would come back for ever.
                await delivery.Received.AcknowledgeAsync(lifetime.Token);
            }
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            End($"acknowledging failed ({exception.Message})");
        }
        return (endReason, storeUnavailable);
    }

    /// <summary>
    /// Stops taking messages and waits for the commits already started, so a message the broker
    /// delivers again on the next connection is not committed at the same time as its first copy.
    /// </summary>
    public async Task DrainAsync()
    {
        End("the connection was closed");
        deliveries.Writer.TryComplete();
        while (deliveries.Reader.TryRead(out var delivery))
        {
            await OutcomeOf(delivery);
        }
    }

    private async Task OnReceivedAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        args.AutoAcknowledge = false;
        // QoS 0 messages do not count against the Receive Maximum: while this handler waited, MQTTnet
        // would keep reading them into a queue of its own without bound. One that finds every slot
        // taken is dropped, as QoS 0 allows, and counted.
        if (args.ApplicationMessage.QualityOfServiceLevel == MQTTnet.Protocol.MqttQualityOfServiceLevel.AtMostOnce
            && deliveries.Reader.Count >= InFlightLimit)
        {
            ingest.CountDropped(args.ClientId, args.ApplicationMessage.Topic);
            return;
        }
        try
        {
            // The handler is called serially, so once there is room the write below cannot fail for want of it.
            if (!await deliveries.Writer.WaitToWriteAsync(lifetime.Token))
            {
                return;
            }
        }
        catch (OperationCanceledException)
        {
            // The connection is ending: left unacknowledged, the message is delivered again.
            return;
        }
        var message = args.ApplicationMessage;
        // The payload is read before AcceptAsync first yields, while MQTTnet still holds the packet.
        // The broker authenticates its publishers, so every message it delivers is trusted as open ingest is.
        var accepting = ingest.AcceptAsync(args.ClientId, message.Topic, message.Payload, message.Retain, KeyCheck.Open, stopping);
        var delivery = new Delivery(args, accepting);
        if (!deliveries.Writer.TryWrite(delivery))
        {
            await OutcomeOf(delivery);
        }
    }

    private async Task<MqttOutcome> OutcomeOf(Delivery delivery)
    {
        try
        {
            return await delivery.Accepting;
        }
        catch (OperationCanceledException)
        {
            // The server is stopping: not acknowledged, so the broker keeps the message for the next start.
            return MqttOutcome.StoreUnavailable;
        }
        catch (Exception exception)
        {
            LogIngestFailed(exception, delivery.Received.ApplicationMessage.Topic);
            return MqttOutcome.StoreUnavailable;
        }
    }

    private void End(string reason)
    {
        lock (lifetime)
        {
            if (lifetime.IsCancellationRequested)
            {
                return;
            }
            endReason = reason;
            lifetime.Cancel();
        }
    }

    public void Dispose()
    {
        End("the connection was closed");
        lifetime.Dispose();
    }

    private sealed record Delivery(MqttApplicationMessageReceivedEventArgs Received, Task<MqttOutcome> Accepting);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT broker link: ingest of a message on '{Topic}' failed; it is not acknowledged, so the broker delivers it again.")]
    private partial void LogIngestFailed(Exception exception, string topic);
}
