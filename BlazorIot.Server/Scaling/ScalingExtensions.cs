using BlazorIot.Server.Storage;

namespace BlazorIot.Server.Scaling;

public static class ScalingExtensions
{
    /// <summary>With several instances (the PostgreSQL store), hands out the cookie the proxy routes circuits by.</summary>
    public static IApplicationBuilder UseInstanceAffinity(this WebApplication app)
    {
        var provider = app.Configuration.GetValue(StorageOptions.Section + ":" + nameof(StorageOptions.Provider), StorageProvider.Sqlite);
        return provider == StorageProvider.Postgres ? app.UseMiddleware<RouteCookieMiddleware>() : app;
    }
}
