using Microsoft.AspNetCore.SignalR;

namespace BlazorIot.Server.Dashboard;

/// <summary>SignalR's own lifetime manager, telling <see cref="RenderBatchWatch"/> which connections there are and when a render batch goes out.</summary>
internal sealed class RenderBatchWatchingLifetimeManager<THub>(RenderBatchWatch watch, ILogger<DefaultHubLifetimeManager<THub>> logger)
    : DefaultHubLifetimeManager<THub>(logger) where THub : Hub
{
    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        watch.Connected(connection);
        return base.OnConnectedAsync(connection);
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        watch.Disconnected(connection);
        return base.OnDisconnectedAsync(connection);
    }

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        if (methodName == RenderBatchWatch.RenderBatchMethod && args is [long batch, ..])
        {
            watch.Sent(connectionId, batch);
        }
        return base.SendConnectionAsync(connectionId, methodName, args, cancellationToken);
    }
}
