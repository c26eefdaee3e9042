namespace BlazorIot.Firmware.Core
{
    /// <summary>Time, seen two ways: wall-clock time for timestamps (set by SNTP on the device), and a monotonic count for scheduling.</summary>
    public interface IClock
    {
        /// <summary>Milliseconds since 1970-01-01 UTC; may jump when the clock is set.</summary>
        long UnixTimeMilliseconds();

        /// <summary>Milliseconds since an arbitrary start; never jumps, never goes back.</summary>
        long MonotonicMilliseconds();
    }
}
