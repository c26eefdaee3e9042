using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorIot.Bench.Circuits;

/// <summary>
/// A headless Blazor Server client: loads a page, starts a circuit over the real hub with the
/// page's component markers, acknowledges every render batch and answers every JS interop call
/// (a module import gets an object reference, the rest complete empty), as blazor.web.js would.
/// Each chart update (the JSON a chart renders into its <c>data-appended</c> attribute) is handed
/// to <see cref="ChartUpdate"/>, so the bench can match the values it sent.
/// </summary>
internal sealed partial class BlazorCircuitClient : IAsyncDisposable
{
    private const int JSObjectReferenceResult = 1;
    private readonly HubConnection connection;
    private readonly Uri page;
    private long nextObjectId;

    private BlazorCircuitClient(HubConnection connection, Uri page)
    {
        this.connection = connection;
        this.page = page;
    }

    /// <summary>Called on a chart update with its points as JSON and the instant it arrived.</summary>
    public Action<string, long>? ChartUpdate { get; set; }

    public long RenderBatches;

    public static BlazorCircuitClient Create(Uri page)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(page, "/_blazor"), HttpTransportType.WebSockets, options => options.SkipNegotiation = true);
        builder.Services.AddSingleton<IHubProtocol>(new BlazorPackProtocol(new MessagePackHubProtocol()));
        var connection = builder.Build();
        return new BlazorCircuitClient(connection, page);
    }

    /// <summary>Loads the page, connects, and starts the circuit with the page's server components.</summary>
    public async Task StartAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var html = await http.GetStringAsync(page, cancellationToken);
        var markers = ServerMarker().Matches(html)
            .Select(m => JsonDocument.Parse(m.Groups[1].Value).RootElement)
            .Where(m => m.TryGetProperty("type", out var type) && type.GetString() == "server")
            .OrderBy(m => m.GetProperty("sequence").GetInt32())
            .ToArray();
        if (markers.Length == 0)
        {
            throw new InvalidOperationException("The page has no server component markers.");
        }
        var state = ComponentState().Match(html) is { Success: true } found ? found.Groups[1].Value : "";

        connection.On<long, byte[]>("JS.RenderBatch", async (batchId, batch) =>
        {
            var arrived = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref RenderBatches);
            if (ChartUpdate is { } update)
            {
                foreach (var appended in ChartAppends(batch))
                {
                    update(appended, arrived);
                }
            }
            await connection.SendAsync("OnRenderCompleted", batchId, null);
        });
        connection.On<long, string, string, int, long, int>("JS.BeginInvokeJS", BeginInvokeJSAsync);
        await connection.StartAsync(cancellationToken);
        var circuit = await connection.InvokeAsync<string?>("StartCircuit", new Uri(page, "/").ToString(), page.ToString(), "[]", state, cancellationToken);
        if (string.IsNullOrEmpty(circuit))
        {
            throw new InvalidOperationException("The server refused the circuit.");
        }
        var operations = new StringBuilder("{\"batchId\":1,\"operations\":[");
        for (var i = 0; i < markers.Length; i++)
        {
            operations.Append(i == 0 ? "" : ",").Append("{\"type\":\"add\",\"ssrComponentId\":").Append(i + 1).Append(",\"marker\":").Append(markers[i].GetRawText()).Append('}');
        }
        operations.Append("]}");
        await connection.SendAsync("UpdateRootComponents", operations.ToString(), state, cancellationToken);
    }

    private async Task BeginInvokeJSAsync(long asyncHandle, string identifier, string argsJson, int resultType, long targetInstanceId, int callType)
    {
        if (asyncHandle == 0)
        {
            return;
        }
        var result = resultType == JSObjectReferenceResult
            ? $"{{\"__jsObjectId\":{Interlocked.Increment(ref nextObjectId)}}}"
            : "null";
        await connection.SendAsync("EndInvokeJSFromDotNet", asyncHandle, true, $"[{asyncHandle},true,{result}]");
    }

    /// <summary>
    /// The chart attributes' JSON in a render batch. Attribute values sit in the batch's string
    /// table as UTF-8, and each is a JSON object, so it is found by its opening and read to its end.
    /// </summary>
    internal static List<string> ChartAppends(ReadOnlySpan<byte> batch)
    {
        var found = new List<string>();
        var start = 0;
        while (batch[start..].IndexOf(AppendsStart) is var at and >= 0)
        {
            var json = batch[(start + at)..];
            var reader = new Utf8JsonReader(json);
            try
            {
                if (reader.Read() && reader.TrySkip())
                {
                    found.Add(Encoding.UTF8.GetString(json[..(int)reader.BytesConsumed]));
                }
            }
            catch (JsonException)
            {
                // Not one of ours after all.
            }
            start += at + AppendsStart.Length;
        }
        return found;
    }

    private static ReadOnlySpan<byte> AppendsStart => "{\"generation\":"u8;

    public async ValueTask DisposeAsync() => await connection.DisposeAsync();

    [GeneratedRegex(@"<!--Blazor:(\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex ServerMarker();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:([A-Za-z0-9+/=]+)-->")]
    private static partial Regex ComponentState();
}
