using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MQTTnet.AspNetCore;

namespace BlazorIot.Server.Mqtt;

/// <summary>
/// Puts the embedded broker's TCP port on Kestrel, next to the HTTP addresses. Kestrel binds only
/// the endpoints given in code once there is one, and ignores <c>Urls</c> then, so the HTTP
/// addresses from <c>Urls</c> are bound here too, each as Kestrel would have bound it.
/// </summary>
public sealed class MqttListener
{
    private readonly List<ListenOptions> endpoints = [];

    /// <summary>The broker's TCP endpoints, with the real port once the server has started (when <c>Mqtt:Port</c> is 0).</summary>
    public IReadOnlyList<IPEndPoint> EndPoints => [.. endpoints.Select(endpoint => endpoint.IPEndPoint!)];

    /// <summary>The first endpoint's port: what a device is told to connect to.</summary>
    public int Port => EndPoints.Count > 0 ? EndPoints[0].Port : 0;

    public void Bind(KestrelServerOptions kestrel, IConfiguration configuration, int port)
    {
        var urls = (configuration[WebHostDefaults.ServerUrlsKey] ?? "http://localhost:5000")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(BindingAddress.Parse)
            .ToList();
        // Endpoints under Kestrel:Endpoints are bound by Kestrel itself, with the code-given ones.
        var fromKestrelSection = configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
        if (!fromKestrelSection)
        {
            foreach (var url in urls)
            {
                BindHttp(kestrel, url);
            }
        }
        // The broker listens where the web server does: on loopback only when every HTTP address is loopback.
        var loopbackOnly = !fromKestrelSection && urls.All(url => !url.IsUnixPipe && IsLoopback(url.Host));
        if (loopbackOnly)
        {
            kestrel.Listen(IPAddress.Loopback, port, Mqtt);
        }
        else
        {
            kestrel.ListenAnyIP(port, Mqtt);
        }
    }

    private void Mqtt(ListenOptions listen)
    {
        listen.UseMqtt();
        endpoints.Add(listen);
    }

    private static void BindHttp(KestrelServerOptions kestrel, BindingAddress url)
    {
        var https = string.Equals(url.Scheme, "https", StringComparison.OrdinalIgnoreCase);
        void Configure(ListenOptions listen)
        {
            if (https)
            {
                listen.UseHttps();
            }
        }
        if (url.IsUnixPipe)
        {
            kestrel.ListenUnixSocket(url.UnixPipePath, Configure);
        }
        else if (string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(url.Port, Configure);
        }
        else if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, url.Port, Configure);
        }
        else
        {
            // "*", "+", a host name: every address, as Kestrel binds them.
            kestrel.ListenAnyIP(url.Port, Configure);
        }
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
