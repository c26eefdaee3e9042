namespace BlazorIot.Server.Storage.Postgres;

/// <summary>The rows one group commit inserts, as the column arrays PostgreSQL's <c>unnest</c> takes.</summary>
internal sealed class FreshRows
{
    private readonly List<long> sequences = [];
    private readonly List<string> sensors = [];
    private readonly List<double> values = [];
    private readonly List<long> timestamps = [];
    private readonly List<long> received = [];
    private readonly List<long?> deviceIds = [];

    public int Count => sequences.Count;

    public long[] Sequences => [.. sequences];

    public string[] Sensors => [.. sensors];

    public double[] Values => [.. values];

    public long[] Timestamps => [.. timestamps];

    public long[] Received => [.. received];

    public long?[] DeviceIds => [.. deviceIds];

    public void Add(long sequence, NewReading reading)
    {
        sequences.Add(sequence);
        sensors.Add(reading.Sensor);
        values.Add(reading.Value);
        timestamps.Add(reading.Timestamp.ToUnixTimeMilliseconds());
        received.Add(reading.Received.ToUnixTimeMilliseconds());
        deviceIds.Add(reading.DeviceId);
    }

    /// <summary>Per sensor: how many rows, when it was first heard of, and its newest value by timestamp.</summary>
    public IReadOnlyList<SensorTally> Tally()
    {
        var tallies = new Dictionary<string, SensorTally>(StringComparer.Ordinal);
        for (var i = 0; i < Count; i++)
        {
            var newest = !tallies.TryGetValue(sensors[i], out var tally) || timestamps[i] >= tally.NewestTimestamp;
            tallies[sensors[i]] = tally.Count == 0
                ? new SensorTally(sensors[i], 1, received[i], values[i], timestamps[i])
                : tally with
                {
                    Count = tally.Count + 1,
                    NewestValue = newest ? values[i] : tally.NewestValue,
                    NewestTimestamp = newest ? timestamps[i] : tally.NewestTimestamp,
                };
        }
        return [.. tallies.Values];
    }

    public readonly record struct SensorTally(string Sensor, long Count, long FirstReceived, double NewestValue, long NewestTimestamp);
}
