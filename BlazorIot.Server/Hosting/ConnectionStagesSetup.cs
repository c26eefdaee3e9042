using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Hosting;

/// <summary>Runs every registered <see cref="ConnectionStage"/>, in order, on each endpoint Kestrel binds.</summary>
internal sealed class ConnectionStagesSetup : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel) => kestrel.ConfigureEndpointDefaults(listen =>
    {
        var provider = listen.ApplicationServices;
        foreach (var stage in provider.GetServices<ConnectionStage>())
        {
            listen.Use(next => stage.Create(provider, kestrel.Limits, next));
        }
    });
}
