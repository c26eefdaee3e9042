using System.ComponentModel.DataAnnotations;

namespace BlazorIot.Server.Streaming;

public sealed class StreamingOptions
{
    public const string Section = "Streaming";

    /// <summary>An idle stream gets an SSE comment this often, so proxies and load balancers keep it open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The reconnection delay the stream asks EventSource to use (<c>retry:</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(3);
}
