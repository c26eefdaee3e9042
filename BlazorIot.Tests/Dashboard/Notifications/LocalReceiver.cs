using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlazorIot.Tests.Dashboard.Notifications;

/// <summary>A webhook receiver on 127.0.0.1 that answers every POST with one status and body, and keeps what it got.</summary>
internal sealed class LocalReceiver : IAsyncDisposable
{
    private const int Kept = 100;

    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedRequest> received = new();

    private LocalReceiver(WebApplication app) => this.app = app;

    public Uri Address { get; private set; } = default!;

    public IReadOnlyCollection<ReceivedRequest> Received => received;

    public static async Task<LocalReceiver> StartAsync(int status, string answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new LocalReceiver(app);
        app.MapPost("/{**path}", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
            if (receiver.received.Count < Kept)
            {
                receiver.received.Enqueue(new ReceivedRequest(
                    request.Path, body.ToArray(), request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            }
            return Results.Text(answer, "text/plain", statusCode: status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Address = new Uri(address);
        return receiver;
    }

    public string Url(string path) => new Uri(Address, path).ToString();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

internal sealed record ReceivedRequest(string Path, byte[] Body, IReadOnlyDictionary<string, string> Headers);
