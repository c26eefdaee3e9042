namespace BlazorIot.Server.Demo;

/// <summary>
/// A plausible light-sensor reading: daylight following the local time of day, slow passing
/// clouds, a steady indoor lamp and a little sensor noise, as whole numbers like the original device sent.
/// </summary>
public sealed class DemoSignal(Random random)
{
    private const double Lamp = 40;
    private const double NoonPeak = 760;
    private static readonly TimeSpan CloudCycle = TimeSpan.FromMinutes(4);

    public int Sample(DateTimeOffset localTime)
    {
        var hours = localTime.TimeOfDay.TotalHours;
        // Sun up from 06:00 to 20:00, highest at 13:00.
        var daylight = Math.Max(0, Math.Sin((hours - 6) / 14 * Math.PI));
        var clouds = 0.8 + (0.2 * Math.Sin(localTime.ToUnixTimeMilliseconds() / CloudCycle.TotalMilliseconds * 2 * Math.PI));
        var noise = (random.NextDouble() - 0.5) * 12;
        return (int)Math.Round(Lamp + (NoonPeak * daylight * clouds) + noise);
    }
}
