namespace BlazorIot.Bench.Circuits;

/// <summary>Which client holds the bench's circuits.</summary>
internal enum CircuitClientKind
{
    /// <summary><see cref="WebSocketCircuitClient"/>: the hub's protocol spoken directly, lightest on the shared cores.</summary>
    WebSocket,

    /// <summary><see cref="BlazorCircuitClient"/>: the .NET SignalR client.</summary>
    SignalR,
}
