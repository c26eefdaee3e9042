namespace BlazorIot.Firmware.Core
{
    /// <summary>
    /// Turns the loop's count of failed sends in a row into one Wi-Fi reset per streak, then a
    /// restart at twice that count. The loop steps many times between two sends, so the same count
    /// is seen again and again: the reset must not repeat with it.
    /// </summary>
    public sealed class RecoveryPlan
    {
        private readonly int failuresBeforeReset;
        private bool resetThisStreak;

        public RecoveryPlan(int failuresBeforeReset)
        {
            this.failuresBeforeReset = failuresBeforeReset;
        }

        public Recovery Next(int consecutiveFailures)
        {
            if (consecutiveFailures == 0)
            {
                resetThisStreak = false;
                return Recovery.None;
            }
            if (consecutiveFailures >= 2 * failuresBeforeReset)
            {
                return Recovery.Restart;
            }
            if (consecutiveFailures >= failuresBeforeReset && !resetThisStreak)
            {
                resetThisStreak = true;
                return Recovery.ResetLink;
            }
            return Recovery.None;
        }
    }
}
