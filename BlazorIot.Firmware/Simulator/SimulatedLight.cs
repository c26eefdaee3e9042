using System;
using BlazorIot.Firmware.Core;

namespace BlazorIot.Firmware.Simulator
{
    /// <summary>A light sensor in a room by a window: daylight over the local day, passing clouds, a lamp, and noise.</summary>
    public sealed class SimulatedLight : ISensor
    {
        private readonly IClock clock;
        private readonly Random random;

        public SimulatedLight(IClock clock, Random random)
        {
            this.clock = clock;
            this.random = random;
        }

        public double Read()
        {
            DateTimeOffset now = DateTimeOffset.FromUnixTimeMilliseconds(clock.UnixTimeMilliseconds()).ToLocalTime();
            double hours = now.TimeOfDay.TotalHours;
            double daylight = Math.Max(0, Math.Sin((hours - 6) / 14 * Math.PI));
            double clouds = 0.8 + 0.2 * Math.Sin(now.ToUnixTimeMilliseconds() / 240000.0 * 2 * Math.PI);
            double noise = (random.NextDouble() - 0.5) * 12;
            return Math.Round(40 + 760 * daylight * clouds + noise);
        }
    }
}
