using Bunit;

namespace BlazorIot.Tests.Dashboard;

/// <summary>A bUnit context served by a <see cref="DashboardHost"/>, with LineChart's module set up in strict JS interop.</summary>
public abstract class DashboardTestContext : BunitContext, IAsyncLifetime
{
    private protected DashboardHost Host { get; private set; } = default!;

    private protected BunitJSModuleInterop Chart { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Host = await DashboardHost.StartAsync();
        Host.Serve(this);
        Chart = ChartModule.Setup(this);
    }

    public new async Task DisposeAsync()
    {
        await DisposeComponentsAsync();
        await Host.DisposeAsync();
    }
}
