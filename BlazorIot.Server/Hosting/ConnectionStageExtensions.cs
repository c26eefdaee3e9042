using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Hosting;

public static class ConnectionStageExtensions
{
    /// <summary>Adds a connection stage; <see cref="ConnectionStagesSetup"/> puts every stage on Kestrel's endpoints.</summary>
    public static IServiceCollection AddConnectionStage(this IServiceCollection services, ConnectionStage stage)
    {
        services.AddSingleton(stage);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>, ConnectionStagesSetup>());
        return services;
    }
}
