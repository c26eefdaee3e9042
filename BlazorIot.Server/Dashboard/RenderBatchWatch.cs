using System.Collections.Concurrent;
using BlazorIot.Server.Operations;
using BlazorIot.Server.Streaming;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Dashboard;

/// <summary>
/// The send deadline of a dashboard's connection. Blazor sends a browser only a few render batches
/// ahead of its acknowledgements, then waits, so a browser that stops reading never fills its
/// socket and SignalR's send timeout never fires; and SignalR times a silent client out only once
/// that client has sent a ping, which a busy dashboard, always acknowledging, never does. So a
/// render batch left unacknowledged for <see cref="StreamingOptions.StalledClientTimeout"/> means
/// the browser has stalled: its connection is closed (counted as
/// <c>blazoriot.circuits.disconnected{reason=stalled}</c>) and its circuit kept for
/// <see cref="DashboardConnectionOptions.DisconnectedCircuitRetention"/>, in case it comes back, then freed.
/// </summary>
/// <remarks>
/// Sees the batches go out through <see cref="RenderBatchWatchingLifetimeManager{THub}"/> and their
/// acknowledgements come in as a hub filter. Blazor acknowledges cumulatively: an acknowledgement
/// of batch N settles every batch up to N.
/// </remarks>
internal sealed partial class RenderBatchWatch : IHubFilter, IDisposable
{
    public const string RenderBatchMethod = "JS.RenderBatch";
    private const string AcknowledgementMethod = "OnRenderCompleted";

    private readonly ConcurrentDictionary<string, Watched> connections = new(StringComparer.Ordinal);
    private readonly TimeProvider time;
    private readonly TimeSpan timeout;
    private readonly BlazorIotMetrics metrics;
    private readonly ILogger<RenderBatchWatch> logger;
    private readonly ITimer timer;

    public RenderBatchWatch(TimeProvider time, IOptions<StreamingOptions> options, BlazorIotMetrics metrics, ILogger<RenderBatchWatch> logger)
    {
        this.time = time;
        timeout = options.Value.StalledClientTimeout;
        this.metrics = metrics;
        this.logger = logger;
        // A stalled browser is cut off between one and one and a quarter deadlines after its oldest unacknowledged batch.
        var period = timeout / 4;
        timer = time.CreateTimer(static watch => ((RenderBatchWatch)watch!).CutOffStalled(), this, period, period);
    }

    public void Connected(HubConnectionContext connection) => connections[connection.ConnectionId] = new Watched(connection);

    public void Disconnected(HubConnectionContext connection)
    {
        // SignalR's own send timeout may cut a stalled browser off before the watch does: counted the same.
        if (connections.TryRemove(connection.ConnectionId, out var watched) && HasStalled(watched))
        {
            metrics.CircuitDisconnected("stalled");
        }
    }

    public void Sent(string connectionId, long batch)
    {
        if (connections.TryGetValue(connectionId, out var watched))
        {
            lock (watched)
            {
                watched.Unacknowledged.Enqueue((batch, time.GetTimestamp()));
            }
        }
    }

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (invocation.HubMethodName == AcknowledgementMethod
            && invocation.HubMethodArguments is [long batch, ..]
            && connections.TryGetValue(invocation.Context.ConnectionId, out var watched))
        {
            lock (watched)
            {
                while (watched.Unacknowledged.TryPeek(out var sent) && sent.Batch <= batch)
                {
                    watched.Unacknowledged.Dequeue();
                }
            }
        }
        return next(invocation);
    }

    private void CutOffStalled()
    {
        foreach (var (connectionId, watched) in connections)
        {
            if (HasStalled(watched) && connections.TryRemove(connectionId, out _))
            {
                Stalled(logger, connectionId, timeout);
                metrics.CircuitDisconnected("stalled");
                watched.Connection.Abort();
            }
        }
    }

    // Its oldest render batch has gone unacknowledged for the whole deadline.
    private bool HasStalled(Watched watched)
    {
        lock (watched)
        {
            return watched.Unacknowledged.TryPeek(out var sent) && time.GetElapsedTime(sent.At) >= timeout;
        }
    }

    public void Dispose() => timer.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closed dashboard connection {ConnectionId}: a render batch went unacknowledged for {Timeout} (Streaming:StalledClientTimeout).")]
    private static partial void Stalled(ILogger logger, string connectionId, TimeSpan timeout);

    /// <summary>One connection's batches sent and not yet acknowledged, oldest first; Blazor stops sending at a few.</summary>
    private sealed class Watched(HubConnectionContext connection)
    {
        public HubConnectionContext Connection { get; } = connection;

        public Queue<(long Batch, long At)> Unacknowledged { get; } = new();
    }
}
