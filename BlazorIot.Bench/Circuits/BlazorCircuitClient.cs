using System.Diagnostics;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Bench.Circuits;

/// <summary>
/// A headless Blazor Server client on the .NET SignalR client (<see cref="HubConnection"/>):
/// starts a circuit over the real hub with the page's component markers, acknowledges every
/// render batch and answers every JS interop call (a module import gets an object reference, the
/// rest complete empty), as blazor.web.js would.
/// </summary>
internal sealed class BlazorCircuitClient : ICircuitClient
{
    private readonly HubConnection connection;
    private readonly Uri page;
    private readonly JSCallAnswers answers = new();
    private long renderBatches;

    private BlazorCircuitClient(HubConnection connection, Uri page)
    {
        this.connection = connection;
        this.page = page;
    }

    public Action<string, long>? ChartUpdate { get; set; }

    public long RenderBatches => Interlocked.Read(ref renderBatches);

    public static BlazorCircuitClient Create(Uri page)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(page, "/_blazor"), HttpTransportType.WebSockets, options => options.SkipNegotiation = true);
        builder.Services.AddSingleton<IHubProtocol>(new BlazorPackProtocol(new MessagePackHubProtocol()));
        var connection = builder.Build();
        return new BlazorCircuitClient(connection, page);
    }

    public async Task StartAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var circuitPage = await CircuitPage.LoadAsync(http, page, cancellationToken);
        connection.On<long, byte[]>("JS.RenderBatch", async (batchId, batch) =>
        {
            var arrived = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref renderBatches);
            if (ChartUpdate is { } update)
            {
                foreach (var appended in ChartAppendScanner.Find(batch))
                {
                    update(appended, arrived);
                }
            }
            await connection.SendAsync("OnRenderCompleted", batchId, null);
        });
        connection.On<long, string, string, int, long, int>("JS.BeginInvokeJS", BeginInvokeJSAsync);
        await connection.StartAsync(cancellationToken);
        var circuit = await connection.InvokeAsync<string?>("StartCircuit", circuitPage.BaseUri, page.ToString(), "[]", circuitPage.State, cancellationToken);
        if (string.IsNullOrEmpty(circuit))
        {
            throw new InvalidOperationException("The server refused the circuit.");
        }
        await connection.SendAsync("UpdateRootComponents", circuitPage.AddComponentsOperations(), circuitPage.State, cancellationToken);
    }

    private async Task BeginInvokeJSAsync(long asyncHandle, string identifier, string argsJson, int resultType, long targetInstanceId, int callType)
    {
        if (asyncHandle == 0)
        {
            return;
        }
        await connection.SendAsync("EndInvokeJSFromDotNet", asyncHandle, true, answers.For(asyncHandle, resultType));
    }

    public async ValueTask DisposeAsync() => await connection.DisposeAsync();
}
