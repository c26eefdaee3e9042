using System;
using System.Diagnostics;
using BlazorIot.Firmware.Core;

namespace BlazorIot.Firmware.Device
{
    /// <summary>The RTC (set by SNTP when Wi-Fi connects) for timestamps; a stopwatch, which SNTP never moves, for the schedule.</summary>
    public sealed class BoardClock : IClock
    {
        private readonly Stopwatch monotonic = Stopwatch.StartNew();

        public long UnixTimeMilliseconds()
        {
            return (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;
        }

        public long MonotonicMilliseconds()
        {
            return monotonic.ElapsedMilliseconds;
        }
    }
}
