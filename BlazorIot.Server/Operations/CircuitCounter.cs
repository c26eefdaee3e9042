using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BlazorIot.Server.Operations;

/// <summary>Counts open Blazor circuits (one per dashboard tab).</summary>
public sealed class CircuitCounter : CircuitHandler
{
    private static long open;

    public static long Open => Interlocked.Read(ref open);

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref open);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref open);
        return Task.CompletedTask;
    }
}
