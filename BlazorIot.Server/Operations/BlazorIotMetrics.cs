using System.Diagnostics.Metrics;

namespace BlazorIot.Server.Operations;

/// <summary>The server's own instruments, on the "BlazorIot" meter (exported at /metrics).</summary>
public sealed class BlazorIotMetrics
{
    public const string MeterName = "BlazorIot";

    private readonly Counter<long> ingested;
    private readonly Counter<long> rejected;
    private readonly Counter<long> coalesced;
    private readonly Counter<long> dropped;
    private readonly Counter<long> streamsClosed;
    private readonly Counter<long> circuitsDisconnected;
    private readonly Histogram<double> commitDuration;
    private readonly UpDownCounter<long> mqttConnections;
    private readonly Counter<long> mqttMessages;
    private readonly Counter<long> mqttRejected;
    private readonly Counter<long> mqttStateDropped;

    public BlazorIotMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        Meter = meter;
        ingested = meter.CreateCounter<long>("blazoriot.readings.ingested", "{reading}", "Readings stored (duplicates not counted).");
        rejected = meter.CreateCounter<long>("blazoriot.ingest.rejected", "{request}", "Ingest requests refused, by reason.");
        coalesced = meter.CreateCounter<long>("blazoriot.sse.frames.coalesced", "{frame}", "Snapshot frames replaced by a newer one before a slow client took them.");
        dropped = meter.CreateCounter<long>("blazoriot.sse.frames.dropped", "{frame}", "Reading frames dropped when a client fell too far behind (it resumes from the store).");
        streamsClosed = meter.CreateCounter<long>("blazoriot.sse.closed", "{stream}", "SSE streams the server closed itself, by reason (stalled: the client stopped taking data).");
        circuitsDisconnected = meter.CreateCounter<long>("blazoriot.circuits.disconnected", "{connection}",
            "Dashboard connections the server closed itself, by reason (stalled: the browser stopped acknowledging render batches); the circuit waits Dashboard:DisconnectedCircuitRetention for the tab to come back, then is freed.");
        commitDuration = meter.CreateHistogram<double>("blazoriot.commit.duration", "ms", "Time to write and commit one group of ingest requests.");
        mqttConnections = meter.CreateUpDownCounter<long>("blazoriot.mqtt.connections", "{connection}", "MQTT clients connected to the embedded broker (or the broker link, in broker mode).");
        mqttMessages = meter.CreateCounter<long>("blazoriot.mqtt.messages", "{message}", "MQTT messages received on the ingest topics, stored or not.");
        mqttRejected = meter.CreateCounter<long>("blazoriot.mqtt.rejected", "{message}",
            "MQTT messages dropped, by reason (invalid_payload, unknown_topic, not_authorized, retained, too_large, store_unavailable).");
        mqttStateDropped = meter.CreateCounter<long>("blazoriot.mqtt.state.dropped", "{message}",
            "Sensor state messages not published, by reason (queue_full: the broker took them slower than readings came; not_ready: no broker to take them; failed: the broker refused one).");
    }

    public Meter Meter { get; }

    public void Ingested(int readings) => ingested.Add(readings);

    public void Rejected(string reason) => rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Coalesced(long frames) => coalesced.Add(frames);

    public void Dropped(long frames) => dropped.Add(frames);

    public void StreamClosed(string reason) => streamsClosed.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void CircuitDisconnected(string reason) => circuitsDisconnected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void MqttConnected() => mqttConnections.Add(1);

    public void MqttDisconnected() => mqttConnections.Add(-1);

    public void MqttMessage() => mqttMessages.Add(1);

    public void MqttRejected(string reason) => mqttRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void MqttStateDropped(string reason) => mqttStateDropped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Committed(TimeSpan duration) => commitDuration.Record(duration.TotalMilliseconds);
}
