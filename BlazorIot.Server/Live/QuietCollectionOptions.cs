using System.ComponentModel.DataAnnotations;

namespace BlazorIot.Server.Live;

/// <summary>
/// When the garbage collector is run between bursts of publications (section
/// <c>Live:QuietCollection</c>), so its pause falls in the gap rather than in front of the next
/// chart update on every open dashboard.
/// </summary>
public sealed class QuietCollectionOptions
{
    public const string Section = "Live:QuietCollection";

    public bool Enabled { get; set; } = true;

    /// <summary>How long after the last publication the server counts as quiet.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan QuietAfter { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How much the process must have allocated since the last such collection for the next one to
    /// be worth its pause; below a few megabytes the collector's own schedule is cheap enough.
    /// </summary>
    [Range(1, 65_536)]
    public int MinimumAllocatedMegabytes { get; set; } = 4;
}
