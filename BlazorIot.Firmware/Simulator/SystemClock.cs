using System;
using System.Diagnostics;
using BlazorIot.Firmware.Core;

namespace BlazorIot.Firmware.Simulator
{
    /// <summary>The host's clocks, standing in for the board's SNTP-set RTC and its tick counter.</summary>
    public sealed class SystemClock : IClock
    {
        private readonly Stopwatch monotonic = Stopwatch.StartNew();

        public long UnixTimeMilliseconds()
        {
            return DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        }

        public long MonotonicMilliseconds()
        {
            return monotonic.ElapsedMilliseconds;
        }
    }
}
