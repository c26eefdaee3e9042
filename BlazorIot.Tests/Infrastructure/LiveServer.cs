using System.Net;
using BlazorIot.Server.Live;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>The real server on real Kestrel, bound to 127.0.0.1 on a free port, demo device off.</summary>
public sealed class LiveServer : WebApplicationFactory<Program>
{
    private readonly TimeProvider? time;
    private readonly IReadOnlyDictionary<string, string?> settings;

    private LiveServer(TimeProvider? time, IReadOnlyDictionary<string, string?>? settings)
    {
        this.time = time;
        this.settings = settings ?? new Dictionary<string, string?>();
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <param name="time">Replaces the server's clock (labels, heartbeats); the real clock when null.</param>
    public static LiveServer Start(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var server = new LiveServer(time, settings);
        server.StartServer();
        return server;
    }

    public Uri BaseAddress => ClientOptions.BaseAddress;

    public SensorHub Hub => Services.GetRequiredService<SensorHub>();

    /// <summary>A client that goes over the loopback network, not the in-memory test transport.</summary>
    public HttpClient CreateNetworkClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Demo:Enabled", "false");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        if (time is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(time));
        }
    }
}
