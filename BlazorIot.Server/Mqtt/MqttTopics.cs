using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Mqtt;

/// <summary>The topics readings arrive on and leave by.</summary>
public static class MqttTopics
{
    public const string Root = "blazoriot";

    /// <summary>A JSON array of readings, each naming its sensor, as <c>POST /api/readings</c> takes.</summary>
    public const string Readings = "blazoriot/readings";

    /// <summary>The filter that takes every sensor's readings (broker mode subscribes to it and to <see cref="Readings"/>).</summary>
    public const string AllSensorReadings = "blazoriot/sensors/+/readings";

    public static string SensorReadings(string sensor) => $"blazoriot/sensors/{sensor}/readings";

    public static string State(string sensor) => $"blazoriot/sensors/{sensor}/state";

    public const string Availability = "blazoriot/status";

    /// <summary>The filter that takes every sensor's state.</summary>
    public const string AllStates = "blazoriot/sensors/+/state";

    /// <summary>Which ingest topic <paramref name="topic"/> is; the sensor comes from the topic for <see cref="IngestTopic.Sensor"/>.</summary>
    public static IngestTopic Parse(string topic, out string? sensor)
    {
        sensor = null;
        if (topic == Readings)
        {
            return IngestTopic.Batch;
        }
        const string prefix = "blazoriot/sensors/";
        const string suffix = "/readings";
        if (topic.Length > prefix.Length + suffix.Length && topic.StartsWith(prefix, StringComparison.Ordinal) && topic.EndsWith(suffix, StringComparison.Ordinal))
        {
            var id = topic[prefix.Length..^suffix.Length];
            if (SensorId.IsValid(id))
            {
                sensor = id;
                return IngestTopic.Sensor;
            }
            return IngestTopic.BadSensor;
        }
        return IngestTopic.Unknown;
    }

    /// <summary>
    /// Whether a subscription filter names ingest topics: <c>blazoriot/readings</c>,
    /// <c>blazoriot/sensors/+/readings</c>, a sensor's own readings, the same behind <c>$share/group/</c>.
    /// A multi-level <c>#</c> does not count: ingest messages are never relayed to any subscriber,
    /// so <c>#</c> and <c>blazoriot/#</c> see only what the server publishes.
    /// </summary>
    public static bool CanMatchIngest(string filter)
    {
        var levels = filter.Split('/');
        if (levels is ["$share", _, ..])
        {
            levels = levels[2..];
        }
        return Overlaps(levels, ["blazoriot", "readings"]) || Overlaps(levels, ["blazoriot", "sensors", null, "readings"]);
    }

    // A null pattern level stands for any one sensor id.
    private static bool Overlaps(string[] filter, string?[] pattern)
    {
        for (var i = 0; i < filter.Length; i++)
        {
            if (filter[i] == "#" || i >= pattern.Length)
            {
                return false;
            }
            if (filter[i] != "+" && pattern[i] is { } level && filter[i] != level)
            {
                return false;
            }
        }
        return filter.Length == pattern.Length;
    }
}
