using BlazorIot.Server.Hosting;
using BlazorIot.Server.Streaming;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddValidatedSettings<DashboardConnectionOptions>(DashboardConnectionOptions.Section);
        services.AddRazorComponents()
            .AddInteractiveServerComponents()
            .AddHubOptions(DashboardConnectionLimits.Configure);
        services.AddOptions<CircuitOptions>()
            .Configure<IOptions<DashboardConnectionOptions>>((circuit, dashboard) => DashboardConnectionLimits.Configure(circuit, dashboard.Value));
        services.AddSingleton<RenderBatchWatch>();
        services.Replace(ServiceDescriptor.Singleton(typeof(HubLifetimeManager<>), typeof(RenderBatchWatchingLifetimeManager<>)));
        services.AddSingleton<DashboardClock>();
        return services;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        // The plain page and its script show data: viewers only. Styles, icons and libraries stay public for the sign-in page.
        endpoints.MapStaticAssets().Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder { RoutePattern.RawText: { } route } && route.TrimStart('/').StartsWith("contenu", StringComparison.Ordinal))
            {
                endpoint.Metadata.Add(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute(Security.ViewerSignIn.Policy));
            }
        });
        var sendTimeout = endpoints.ServiceProvider.GetRequiredService<IOptions<StreamingOptions>>().Value.StalledClientTimeout;
        endpoints.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .RequireAuthorization(Security.ViewerSignIn.Policy)
            // .NET 10's render mode options cannot configure the hub's connections yet; their
            // dispatcher options are the hub endpoints' metadata, shared with the dispatcher.
            .Add(endpoint =>
            {
                foreach (var connection in endpoint.Metadata.OfType<HttpConnectionDispatcherOptions>())
                {
                    DashboardConnectionLimits.Configure(connection, sendTimeout);
                }
            });
        return endpoints;
    }
}
