using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;

namespace BlazorIot.Server.Dashboard;

/// <summary>
/// The dashboard's SignalR and circuit limits, each set on purpose rather than left to the
/// framework's defaults (several are the same values, now chosen). What a stalled browser can cost
/// the server is bounded by them and cut short by <see cref="RenderBatchWatch"/>.
/// </summary>
internal static class DashboardConnectionLimits
{
    public static void Configure(HubOptions hub)
    {
        // blazor.web.js pings after 15 s without sending and gives the server up after 30 s of
        // silence: the server pings as often, and gives a client that has pinged as long.
        hub.KeepAliveInterval = TimeSpan.FromSeconds(15);
        hub.ClientTimeoutInterval = TimeSpan.FromSeconds(30);
        // A connection that never completes its handshake does not hold a slot.
        hub.HandshakeTimeout = TimeSpan.FromSeconds(15);
        // The browser only sends acknowledgements, events and interop results, all small.
        hub.MaximumReceiveMessageSize = 32 * 1024;
        // One hub call at a time per browser: Blazor's own calls never need more.
        hub.MaximumParallelInvocationsPerClient = 1;
        hub.AddFilter<RenderBatchWatch>();
    }

    public static void Configure(CircuitOptions circuit, DashboardConnectionOptions dashboard)
    {
        // A browser that stops acknowledging gets at most this many batches (a few kB each) before
        // its renders wait: what it costs stays bounded until RenderBatchWatch cuts it off.
        circuit.MaxBufferedUnacknowledgedRenderBatches = 10;
        circuit.DisconnectedCircuitRetentionPeriod = dashboard.DisconnectedCircuitRetention;
        // Tabs that dropped at once (a proxy restart) keep their state; beyond this many the oldest are freed early.
        circuit.DisconnectedCircuitMaxRetained = 100;
        // A chart's interop call that the browser never answers fails rather than waits for ever.
        circuit.JSInteropDefaultCallTimeout = TimeSpan.FromMinutes(1);
    }

    /// <param name="sendTimeout">Streaming:StalledClientTimeout, the send deadline of every stream.</param>
    public static void Configure(HttpConnectionDispatcherOptions connection, TimeSpan sendTimeout)
    {
        // A send the browser has not taken within the deadline closes its connection, as for an SSE stream.
        connection.TransportSendTimeout = sendTimeout;
        // Bytes buffered for a browser before a send waits, and from a browser before the server stops reading it.
        connection.TransportMaxBufferSize = 64 * 1024;
        connection.ApplicationMaxBufferSize = 64 * 1024;
        // A browser that does not answer the closing handshake is dropped.
        connection.WebSockets.CloseTimeout = TimeSpan.FromSeconds(5);
    }
}
