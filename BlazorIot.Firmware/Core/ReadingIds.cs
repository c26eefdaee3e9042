namespace BlazorIot.Firmware.Core
{
    /// <summary>
    /// The device's sequence numbers. The server keeps one reading per (sensor, id), so ids must
    /// never repeat, even after a reboot resets the counter: each boot's ids start at its boot time
    /// in Unix seconds × 10^9, which leaves room for a billion readings per boot.
    /// </summary>
    public sealed class ReadingIds
    {
        private const long PerBoot = 1000000000L;
        private long next;

        public ReadingIds(long bootUnixSeconds)
        {
            next = bootUnixSeconds * PerBoot;
        }

        public long Next()
        {
            long id = next;
            next++;
            return id;
        }
    }
}
