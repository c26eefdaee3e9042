using System.ComponentModel.DataAnnotations;

namespace BlazorIot.Server.Dashboard;

/// <summary>
/// How long the server keeps a dashboard tab's state once its connection is gone. The send
/// deadline of a dashboard's connection is <c>Streaming:StalledClientTimeout</c>, as for every stream.
/// </summary>
public sealed class DashboardConnectionOptions
{
    public const string Section = "Dashboard";

    /// <summary>
    /// A tab whose connection dropped (a network change, a laptop lid, a stalled browser cut off)
    /// can come back to its circuit for this long; then the circuit and what it holds are freed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DisconnectedCircuitRetention { get; set; } = TimeSpan.FromMinutes(3);
}
