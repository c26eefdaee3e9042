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

    /// <summary>Frames a reading-stream client may fall behind by before its stream is closed (it then resumes from the store).</summary>
    [Range(16, 1_000_000)]
    public int ReadingQueueCapacity { get; set; } = 4096;

    /// <summary>Open SSE streams the server accepts; one more gets 503 with Retry-After.</summary>
    [Range(1, 1_000_000)]
    public int MaxSubscribers { get; set; } = 10_000;

    /// <summary>
    /// The send deadline of every stream: an SSE stream whose client has not taken a write for this
    /// long is closed and its slot freed (<c>blazoriot_sse_closed{reason="stalled"}</c>); a dashboard
    /// that has not acknowledged a render batch for this long is disconnected
    /// (<c>blazoriot_circuits_disconnected{reason="stalled"}</c>), as is one whose socket has not taken a send.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StalledClientTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
