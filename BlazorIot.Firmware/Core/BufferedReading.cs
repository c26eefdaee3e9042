namespace BlazorIot.Firmware.Core
{
    /// <summary>A measured value waiting to be sent.</summary>
    public sealed class BufferedReading
    {
        public BufferedReading(long id, double value, long timestampMs)
        {
            Id = id;
            Value = value;
            TimestampMs = timestampMs;
        }

        /// <summary>The device's own sequence number: the server stores a reading once per (sensor, id), so a retry is harmless.</summary>
        public long Id { get; }

        public double Value { get; }

        /// <summary>Unix milliseconds when it was measured.</summary>
        public long TimestampMs { get; }
    }
}
