using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlazorIot.Tests.Notifications;

/// <summary>
/// A webhook receiver on real Kestrel at 127.0.0.1 on a free port: records every request and answers as
/// scripted (200 once the script is used up).
/// </summary>
public sealed class TestReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceiverAnswer> script = new();
    private readonly ConcurrentQueue<ReceivedRequest> requests = new();

    private TestReceiver(WebApplication app) => this.app = app;

    public Uri Url { get; private set; } = default!;

    public IReadOnlyList<ReceivedRequest> Requests => [.. requests];

    public static async Task<TestReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new TestReceiver(app);
        app.MapPost("/hook", receiver.AnswerAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    /// <summary>The answers to the next requests, in order.</summary>
    public void Script(params ReceiverAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            script.Enqueue(answer);
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var answer = script.TryDequeue(out var scripted) ? scripted : ReceiverAnswer.Ok;
        requests.Enqueue(new ReceivedRequest(
            context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            context.Request.ContentType,
            body.ToArray(),
            answer.Abort ? null : answer.Status));
        if (answer.Until is { } until)
        {
            await until.WaitAsync(context.RequestAborted);
        }
        if (answer.Abort)
        {
            context.Abort();
            return;
        }
        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((long)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }
        if (answer.Location is { } location)
        {
            context.Response.Headers.Location = location;
        }
        await context.Response.WriteAsync(answer.Status < 300 ? "thanks" : "not now", context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
