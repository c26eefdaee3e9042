using System.ComponentModel.DataAnnotations;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Server.Demo;

public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Runs the built-in simulated device (on in Development, off otherwise).</summary>
    public bool Enabled { get; set; }

    [RegularExpression(SensorId.Pattern)]
    public string Sensor { get; set; } = SensorId.Legacy;

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(3);
}
