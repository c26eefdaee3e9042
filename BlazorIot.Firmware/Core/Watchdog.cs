namespace BlazorIot.Firmware.Core
{
    /// <summary>
    /// Notices a loop that stopped coming back: the loop feeds it every turn, another thread asks
    /// whether it has gone longer than its limit without food (a hung socket or driver call), and
    /// the board restarts when it has. Safe to use from two threads.
    /// </summary>
    public sealed class Watchdog
    {
        private readonly object gate = new object();
        private readonly long limitMs;
        private long lastFedMs;

        public Watchdog(long nowMs, long limitMs)
        {
            this.limitMs = limitMs;
            lastFedMs = nowMs;
        }

        public void Feed(long nowMs)
        {
            lock (gate)
            {
                lastFedMs = nowMs;
            }
        }

        public bool HasStalled(long nowMs)
        {
            lock (gate)
            {
                return nowMs - lastFedMs > limitMs;
            }
        }

        /// <summary>Milliseconds since the loop last fed it.</summary>
        public long Hunger(long nowMs)
        {
            lock (gate)
            {
                return nowMs - lastFedMs;
            }
        }
    }
}
