using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace BlazorIot.Server.Hosting;

/// <summary>
/// Behind a reverse proxy (<c>ForwardedHeaders:Enabled=true</c>, trusted proxies in
/// <c>ForwardedHeaders:KnownProxies</c>) the client's address and scheme come from
/// X-Forwarded-For / -Proto. Cross-origin browser access exists only for the origins listed in
/// <c>Cors:Origins</c>; with none listed no CORS header is ever sent (same-origin only, as the lab taught).
/// </summary>
public static class ProxyAndCorsExtensions
{
    private const string CorsPolicy = "configured-origins";

    public static IServiceCollection AddProxyAndCors(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var (_, proxy) in KnownProxies(configuration))
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        // Checked with every other setting before the server opens anything, so a mistyped proxy
        // address is named rather than failing the first request's middleware.
        services.AddSingleton(new SettingsSection("ForwardedHeaders", provider => KnownProxies(configuration)
            .Where(proxy => !IPAddress.TryParse(proxy.Value, out _))
            .Select(proxy => $"{proxy.Key} is \"{proxy.Value}\"; allowed: an IP address such as 127.0.0.1 or ::1.")
            .ToList()));
        var origins = configuration.GetSection("Cors:Origins").Get<string[]>() ?? [];
        if (origins.Length > 0)
        {
            services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins(origins)
                .WithMethods("GET", "POST", "PUT")
                .WithHeaders("Content-Type", "Authorization", "X-Api-Key", "Last-Event-ID")));
        }
        return services;
    }

    private static IEnumerable<KeyValuePair<string, string>> KnownProxies(IConfiguration configuration) =>
        configuration.GetSection("ForwardedHeaders:KnownProxies").GetChildren()
            .Where(proxy => proxy.Value is not null)
            .Select(proxy => KeyValuePair.Create(proxy.Path, proxy.Value!));

    public static WebApplication UseProxyAndCors(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>("ForwardedHeaders:Enabled"))
        {
            app.UseForwardedHeaders();
        }
        if (app.Configuration.GetValue<bool>("Security:Hsts"))
        {
            // Only behind TLS: the proxy terminates HTTPS and forwards the scheme.
            app.UseHsts();
        }
        if ((app.Configuration.GetSection("Cors:Origins").Get<string[]>() ?? []).Length > 0)
        {
            app.UseCors(CorsPolicy);
        }
        return app;
    }
}
