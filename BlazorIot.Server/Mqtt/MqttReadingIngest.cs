using System.Buffers;
using BlazorIot.Server.Ingest;
using BlazorIot.Server.Operations;
using BlazorIot.Server.Security;
using BlazorIot.Server.Storage;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Mqtt;

/// <summary>
/// Takes one MQTT message on an ingest topic through the path every HTTP reading takes: the same
/// validation and key scopes, then <see cref="ReadingIngest"/> (store, then SensorHub). It returns
/// only after the commit, so the caller acknowledges a message exactly when an HTTP 200 would be sent.
/// </summary>
public sealed partial class MqttReadingIngest(
    ReadingIngest ingest, IOptions<IngestOptions> ingestOptions, IOptions<MqttOptions> mqttOptions, TimeProvider time, BlazorIotMetrics metrics, ILogger<MqttReadingIngest> logger)
{
    public async Task<MqttOutcome> AcceptAsync(string clientId, string topic, ReadOnlySequence<byte> payload, bool retained, KeyCheck key, CancellationToken cancellationToken)
    {
        var outcome = Check(clientId, topic, payload, retained, key, out var readings);
        return outcome == MqttOutcome.Stored ? await StoreAsync(clientId, topic, readings!, cancellationToken) : outcome;
    }

    /// <summary>
    /// Everything short of storing: the topic, the key and its scope, the payload. Returns
    /// <see cref="MqttOutcome.Stored"/> with the readings when they may be stored; a refusal is counted and logged.
    /// </summary>
    public MqttOutcome Check(string clientId, string topic, ReadOnlySequence<byte> payload, bool retained, KeyCheck key, out List<ReadingInput>? readings)
    {
        readings = null;
        metrics.MqttMessage();
        var kind = MqttTopics.Parse(topic, out var sensor);
        if (kind is IngestTopic.Unknown or IngestTopic.BadSensor)
        {
            return Reject(MqttOutcome.UnknownTopic, clientId, topic, kind == IngestTopic.BadSensor
                ? "the sensor id in the topic breaks the id rules (1 to 64 of a-z, 0-9, '.', '_', '-')."
                : $"readings are taken on {MqttTopics.SensorReadings("{sensor}")} and {MqttTopics.Readings}.");
        }
        if (!key.Passed)
        {
            return Reject(MqttOutcome.NotAuthorized, clientId, topic, key.Status == KeyCheckStatus.Missing ? "no device key was given as the password." : "the device key is unknown or revoked.");
        }
        if (retained)
        {
            return Reject(MqttOutcome.Retained, clientId, topic, "retained messages are not ingested.");
        }
        if (payload.Length > mqttOptions.Value.MaxPayloadBytes)
        {
            return Reject(MqttOutcome.TooLarge, clientId, topic, $"the payload is larger than Mqtt:MaxPayloadBytes ({mqttOptions.Value.MaxPayloadBytes}).");
        }
        var parsed = MqttPayload.Parse(kind, sensor, payload, ingestOptions.Value.MaxBatch, time.GetUtcNow(), out var error);
        if (parsed is null)
        {
            return Reject(MqttOutcome.InvalidPayload, clientId, topic, error!);
        }
        if (parsed.FirstOrDefault(reading => !key.Allows(reading.Sensor)) is { } forbidden)
        {
            return Reject(MqttOutcome.NotAuthorized, clientId, topic, $"the key may not write sensor '{forbidden.Sensor}'.");
        }
        readings = parsed;
        return MqttOutcome.Stored;
    }

    /// <summary>Stores checked readings; completes once they are committed.</summary>
    public async Task<MqttOutcome> StoreAsync(string clientId, string topic, List<ReadingInput> readings, CancellationToken cancellationToken)
    {
        try
        {
            await ingest.AcceptAsync(readings, cancellationToken);
            return MqttOutcome.Stored;
        }
        catch (StoreUnavailableException failure)
        {
            metrics.MqttRejected("store_unavailable");
            LogStoreUnavailable(clientId, topic, failure.Message);
            return MqttOutcome.StoreUnavailable;
        }
    }

    /// <summary>A QoS 0 message dropped because too many were waiting for their commit (broker mode).</summary>
    public void CountDropped(string clientId, string topic)
    {
        metrics.MqttMessage();
        metrics.MqttRejected("qos0_overflow");
        LogRejected(clientId, topic, "too many QoS 0 messages were waiting to be stored; QoS 0 allows dropping one.");
    }

    private MqttOutcome Reject(MqttOutcome outcome, string clientId, string topic, string reason)
    {
        metrics.MqttRejected(outcome switch
        {
            MqttOutcome.InvalidPayload => "invalid_payload",
            MqttOutcome.UnknownTopic => "unknown_topic",
            MqttOutcome.NotAuthorized => "not_authorized",
            MqttOutcome.Retained => "retained",
            MqttOutcome.TooLarge => "too_large",
            _ => "other",
        });
        LogRejected(clientId, topic, reason);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT client '{ClientId}': message on '{Topic}' dropped: {Reason}")]
    private partial void LogRejected(string clientId, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT client '{ClientId}': message on '{Topic}' not stored ({Reason}); at QoS 1 it is not acknowledged, so the sender sends it again.")]
    private partial void LogStoreUnavailable(string clientId, string topic, string reason);
}
