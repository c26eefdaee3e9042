using System.ComponentModel.DataAnnotations;
using BlazorIot.Shared.Legacy;

namespace BlazorIot.Server.Live;

public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>How many of the newest readings of each sensor stay in memory for snapshots and new dashboards.</summary>
    [Range(LegacySnapshot.Size, 100_000)]
    public int WindowSize { get; set; } = LegacySnapshot.Size;
}
