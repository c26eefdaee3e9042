using System;
using System.Threading;
using BlazorIot.Firmware.Core;
using nanoFramework.Runtime.Native;

namespace BlazorIot.Firmware.Device
{
    /// <summary>
    /// Restarts the board when the main loop stops coming back (a driver or socket call that never
    /// returns, past every timeout): a timer thread looks at the loop's last feed.
    /// </summary>
    public sealed class BoardWatchdog : IDisposable
    {
        private readonly Watchdog watchdog;
        private readonly IClock clock;
        private readonly ILog log;
        private readonly Timer timer;

        public BoardWatchdog(IClock clock, ILog log, int limitMs, int checkEveryMs)
        {
            this.clock = clock;
            this.log = log;
            watchdog = new Watchdog(clock.MonotonicMilliseconds(), limitMs);
            timer = new Timer(Check, null, checkEveryMs, checkEveryMs);
        }

        public void Feed()
        {
            watchdog.Feed(clock.MonotonicMilliseconds());
        }

        public void Dispose()
        {
            timer.Dispose();
        }

        private void Check(object state)
        {
            long now = clock.MonotonicMilliseconds();
            if (watchdog.HasStalled(now))
            {
                log.Write("watchdog: the main loop has not come back for " + watchdog.Hunger(now).ToString() + " ms: restarting the board");
                Power.RebootDevice();
            }
        }
    }
}
