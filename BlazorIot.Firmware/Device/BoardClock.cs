using System;
using BlazorIot.Firmware.Core;

namespace BlazorIot.Firmware.Device
{
    /// <summary>
    /// The RTC (set by SNTP once Wi-Fi is up) for timestamps; the system tick count
    /// (Environment.TickCount64, nanoFramework.Runtime.Native), which SNTP never moves, for the schedule.
    /// </summary>
    public sealed class BoardClock : IClock
    {
        public long UnixTimeMilliseconds()
        {
            return (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;
        }

        public long MonotonicMilliseconds()
        {
            return Environment.TickCount64;
        }
    }
}
