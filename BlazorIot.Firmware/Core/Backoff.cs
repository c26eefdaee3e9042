using System;

namespace BlazorIot.Firmware.Core
{
    /// <summary>
    /// How long to wait after a failed send: doubling from the initial delay up to a ceiling, each
    /// wait drawn between half and all of that ("equal jitter"), so many devices that lost the
    /// server together do not all come back at the same instant.
    /// </summary>
    public sealed class Backoff
    {
        private readonly long initialMs;
        private readonly long maxMs;
        private readonly Random random;
        private int failures;

        public Backoff(long initialMs, long maxMs, Random random)
        {
            this.initialMs = initialMs;
            this.maxMs = maxMs;
            this.random = random;
        }

        public int Failures
        {
            get { return failures; }
        }

        /// <summary>Counts a failure and returns the wait before the next try.</summary>
        public long NextDelayMs()
        {
            long ceiling = initialMs;
            for (int i = 0; i < failures && ceiling < maxMs; i++)
            {
                ceiling *= 2;
            }
            if (ceiling > maxMs)
            {
                ceiling = maxMs;
            }
            failures++;
            long half = ceiling / 2;
            return half + (long)(random.NextDouble() * (ceiling - half));
        }

        public void Reset()
        {
            failures = 0;
        }
    }
}
