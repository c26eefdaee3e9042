namespace BlazorIot.Firmware.Core
{
    /// <summary>
    /// When to take the next sample, on a fixed grid (start + k × period) of the monotonic clock,
    /// so time spent sending never pushes later samples back. When the device fell behind by
    /// whole periods (a long request), the missed slots are skipped rather than sampled in a burst.
    /// </summary>
    public sealed class SampleSchedule
    {
        private readonly long periodMs;
        private long nextDueMs;

        public SampleSchedule(long startMs, long periodMs)
        {
            this.periodMs = periodMs;
            nextDueMs = startMs;
        }

        public long NextDueMs
        {
            get { return nextDueMs; }
        }

        /// <summary>Slots skipped because the device was busy past them.</summary>
        public long Skipped { get; private set; }

        public bool IsDue(long nowMs)
        {
            return nowMs >= nextDueMs;
        }

        public long MillisecondsUntilDue(long nowMs)
        {
            long wait = nextDueMs - nowMs;
            return wait > 0 ? wait : 0;
        }

        /// <summary>Marks the current slot as taken and moves to the next slot still ahead of <paramref name="nowMs"/>.</summary>
        public void Advance(long nowMs)
        {
            nextDueMs += periodMs;
            if (nowMs >= nextDueMs)
            {
                long behind = (nowMs - nextDueMs) / periodMs + 1;
                Skipped += behind;
                nextDueMs += behind * periodMs;
            }
        }
    }
}
