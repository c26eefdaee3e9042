using BlazorIot.Server.Live;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Ingest;

/// <summary>
/// The one way a reading enters the system, whichever endpoint (or the demo device) it came
/// through: it is checked, stamped with the server time when it has none, and published.
/// </summary>
public sealed class ReadingIngest(SensorHub hub, TimeProvider time)
{
    /// <exception cref="ArgumentException">When the sensor id or the value is not acceptable.</exception>
    public Reading Accept(string sensor, double value, DateTimeOffset? timestamp = null)
    {
        if (!SensorId.IsValid(sensor))
        {
            throw new ArgumentException($"'{sensor}' is not a sensor id: use 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit.", nameof(sensor));
        }
        if (!double.IsFinite(value))
        {
            throw new ArgumentException("The value must be a finite number.", nameof(value));
        }
        return hub.Publish(sensor, value, timestamp ?? time.GetUtcNow());
    }
}
