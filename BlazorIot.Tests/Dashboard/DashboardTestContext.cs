using BlazorIot.Server.Security;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

    /// <summary>Who may change sensors as on a server with <c>Dashboard:Users</c> (viewer vera, admin ada) set; the circuit user is set by the test.</summary>
    private protected void SignInConfigured() =>
        Services.AddSingleton(new AdminAccess(Host.Gate, Options.Create(new ViewerOptions
        {
            Users = [new ViewerUser { Name = "vera", PasswordHash = "" }, new ViewerUser { Name = "ada", PasswordHash = "", Role = UserRoles.Admin }],
        })));
}
