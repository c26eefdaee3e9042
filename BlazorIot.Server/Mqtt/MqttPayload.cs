using System.Buffers;
using System.Globalization;
using System.Text.Json;
using BlazorIot.Server.Ingest;

namespace BlazorIot.Server.Mqtt;

/// <summary>
/// Reads an ingest message with the rules <c>POST /api/readings</c> uses: on a sensor's topic a bare
/// number (<c>412</c>, <c>21.5</c>) or one JSON reading (<c>{"value":412,"ts":...,"id":17}</c>); on
/// <c>blazoriot/readings</c> a JSON array of readings, each naming its sensor.
/// </summary>
public static class MqttPayload
{
    /// <returns>The readings, or null with the reason in <paramref name="error"/>.</returns>
    public static List<ReadingInput>? Parse(IngestTopic topic, string? sensor, ReadOnlySequence<byte> payload, int maxBatch, DateTimeOffset now, out string? error)
    {
        error = null;
        if (payload.IsEmpty)
        {
            error = "The payload is empty.";
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException)
        {
            error = topic == IngestTopic.Batch
                ? "The payload is not a JSON array of readings."
                : "The payload is neither a number (412.5) nor a JSON reading ({\"value\":412.5}).";
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            return topic == IngestTopic.Batch ? ParseBatch(root, maxBatch, now, out error) : ParseSensor(root, sensor!, now, out error);
        }
    }

    private static List<ReadingInput>? ParseSensor(JsonElement root, string sensor, DateTimeOffset now, out string? error)
    {
        error = null;
        if (root.ValueKind == JsonValueKind.Number)
        {
            if (!root.TryGetDouble(out var value) || ReadingFields.CheckValue(value) is not null)
            {
                error = "The value must be a finite number.";
                return null;
            }
            return [new ReadingInput(sensor, value)];
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "The payload is neither a number (412.5) nor a JSON reading ({\"value\":412.5}).";
            return null;
        }
        var (reading, errors) = ReadingPayload.ParseForSensor(root, sensor, now);
        if (reading is null)
        {
            error = Describe(errors);
            return null;
        }
        return [reading];
    }

    private static List<ReadingInput>? ParseBatch(JsonElement root, int maxBatch, DateTimeOffset now, out string? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Array)
        {
            error = "The payload is not a JSON array of readings.";
            return null;
        }
        var count = root.GetArrayLength();
        if (count == 0)
        {
            error = "The batch is empty.";
            return null;
        }
        if (count > maxBatch)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"A batch holds at most {maxBatch} readings (Ingest:MaxBatch); this one has {count}.");
            return null;
        }
        var (readings, errors) = ReadingPayload.Parse(root, now, shortTimestamp: true);
        if (errors.Count > 0)
        {
            error = Describe(errors);
            return null;
        }
        return readings;
    }

    private static string Describe(Dictionary<string, string[]> errors) =>
        string.Join(" ", errors.Take(3).Select(error => $"{error.Key}: {error.Value[0]}"));
}
