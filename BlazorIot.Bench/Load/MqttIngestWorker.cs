using System.Diagnostics;
using System.Globalization;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace BlazorIot.Bench.Load;

/// <summary>
/// One MQTT publisher, as a device runs: one connection, one message in flight. At QoS 1 a reading
/// counts as acknowledged when its PUBACK says success (MQTT 5 reason code); at QoS 0, when the
/// client has written it, since nothing comes back.
/// </summary>
internal sealed class MqttIngestWorker(LoadRun run, Uri broker, int qos, string sensor, string? key)
{
    public async Task RunAsync(long startedAt, double period, CancellationToken cancellationToken)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId($"bench-{Guid.NewGuid():N}")
            .WithCredentials("bench", key ?? "")
            .WithCleanStart()
            .Build();
        await client.ConnectAsync(options, cancellationToken);
        var topic = $"blazoriot/sensors/{sensor}/readings";
        var level = qos == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var index = run.Take(1);
                if (index < 0)
                {
                    return;
                }
                if (period > 0)
                {
                    var wait = startedAt + (long)(index * period) - Stopwatch.GetTimestamp();
                    if (wait > 0)
                    {
                        await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency), cancellationToken);
                    }
                }
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic(topic)
                    .WithPayload((run.Base + index).ToString(CultureInfo.InvariantCulture))
                    .WithQualityOfServiceLevel(level)
                    .Build();
                run.MarkSent(index, 1);
                var sent = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref run.Requests);
                var result = await client.PublishAsync(message, cancellationToken);
                // Mosquitto says "no matching subscribers" (0x10) when nobody listens: taken all the same.
                if (result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers)
                {
                    Interlocked.Increment(ref run.Answered2xx);
                    run.MarkAcknowledged(index, 1, sent);
                }
                else
                {
                    Interlocked.Increment(ref run.Failures);
                    Interlocked.Increment(ref run.AnsweredOther);
                }
            }
        }
        // MQTTnet reports a wait for an acknowledgement cut short by the token as a time-out.
        catch (Exception exception) when (exception is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationTimedOutException && cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
            }
        }
    }
}
