using System.Text.Json;

namespace BlazorIot.Server.Ingest;

/// <summary>
/// Reads the body of <c>POST /api/readings</c>: one reading object or an array of them. Every
/// problem is collected with its field path (<c>value</c>, or <c>[3].timestamp</c> in an array),
/// so a device author sees all mistakes at once; nothing is stored unless everything is valid.
/// </summary>
public static class ReadingPayload
{
    /// <param name="shortTimestamp">Also take the timestamp as <c>ts</c> (MQTT payloads, where bytes count).</param>
    public static (List<ReadingInput> Readings, Dictionary<string, string[]> Errors) Parse(JsonElement root, DateTimeOffset now, bool shortTimestamp = false)
    {
        var readings = new List<ReadingInput>();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.ValueKind == JsonValueKind.Object)
        {
            ParseOne(root, "", readings, errors, now, null, shortTimestamp);
        }
        else
        {
            var index = 0;
            foreach (var item in root.EnumerateArray())
            {
                ParseOne(item, $"[{index}].", readings, errors, now, null, shortTimestamp);
                index++;
            }
        }
        return (readings, errors);
    }

    /// <summary>
    /// One reading of a sensor named elsewhere (an MQTT topic): <c>{"value":412,"ts":...,"id":17}</c>.
    /// A <c>sensor</c> field may be left out; when present it must name the same sensor.
    /// </summary>
    public static (ReadingInput? Reading, Dictionary<string, string[]> Errors) ParseForSensor(JsonElement item, string sensor, DateTimeOffset now)
    {
        var readings = new List<ReadingInput>(1);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        ParseOne(item, "", readings, errors, now, sensor, shortTimestamp: true);
        return (readings.Count == 1 ? readings[0] : null, errors);
    }

    private static void ParseOne(JsonElement item, string path, List<ReadingInput> readings, Dictionary<string, string[]> errors, DateTimeOffset now, string? namedSensor, bool shortTimestamp)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors[path.TrimEnd('.')] = ["Each reading is a JSON object: {\"sensor\": \"...\", \"value\": 1.5}."];
            return;
        }
        var failed = false;
        void Fail(string field, string message)
        {
            errors[path + field] = [message];
            failed = true;
        }

        string? sensor = namedSensor;
        if (!item.TryGetProperty("sensor", out var sensorElement))
        {
            if (namedSensor is null)
            {
                Fail("sensor", "The sensor id is required.");
            }
        }
        else if (namedSensor is not null)
        {
            if (sensorElement.ValueKind != JsonValueKind.String || sensorElement.GetString() != namedSensor)
            {
                Fail("sensor", $"The sensor is named by the topic ('{namedSensor}'); leave the field out or give the same id.");
            }
        }
        else if (sensorElement.ValueKind != JsonValueKind.String)
        {
            Fail("sensor", "The sensor id must be a string.");
        }
        else if (ReadingFields.CheckSensor(sensor = sensorElement.GetString()) is { } sensorError)
        {
            Fail("sensor", sensorError);
        }

        var value = 0.0;
        if (!item.TryGetProperty("value", out var valueElement))
        {
            Fail("value", "The value is required.");
        }
        else if (valueElement.ValueKind != JsonValueKind.Number || !valueElement.TryGetDouble(out value))
        {
            Fail("value", "The value must be a JSON number.");
        }
        else if (ReadingFields.CheckValue(value) is { } valueError)
        {
            Fail("value", valueError);
        }

        DateTimeOffset? timestamp = null;
        if ((item.TryGetProperty("timestamp", out var timestampElement) || (shortTimestamp && item.TryGetProperty("ts", out timestampElement)))
            && timestampElement.ValueKind != JsonValueKind.Null)
        {
            if (ReadingFields.ParseTimestamp(timestampElement, now, out var parsed) is { } timestampError)
            {
                Fail("timestamp", timestampError);
            }
            timestamp = parsed;
        }

        long? deviceId = null;
        if (item.TryGetProperty("id", out var idElement) && idElement.ValueKind != JsonValueKind.Null)
        {
            if (idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt64(out var id))
            {
                Fail("id", "The id (the device's own sequence number) must be a whole number.");
            }
            else if (ReadingFields.CheckDeviceId(id) is { } idError)
            {
                Fail("id", idError);
            }
            else
            {
                deviceId = id;
            }
        }

        if (!failed)
        {
            readings.Add(new ReadingInput(sensor!, value, timestamp, deviceId));
        }
    }
}
