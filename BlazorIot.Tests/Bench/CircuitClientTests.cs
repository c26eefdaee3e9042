using System.Text.Json;
using System.Threading.Channels;
using BlazorIot.Bench.Circuits;
using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Bench;

public sealed class CircuitClientTests
{
    [Theory]
    [InlineData("websocket")]
    [InlineData("signalr")]
    public async Task A_headless_circuit_gets_each_reading_as_chart_points_in_a_render_batch(string clientKind)
    {
        using var server = LiveServer.Start();
        using var http = server.CreateNetworkClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // The dashboard shows a card per known sensor, so the sensor reports before the page opens.
        (await http.GetAsync("/luminosity/5", timeout.Token)).EnsureSuccessStatusCode();
        var page = new Uri(server.BaseAddress, "/");
        await using ICircuitClient client = clientKind == "signalr" ? BlazorCircuitClient.Create(page) : new WebSocketCircuitClient(page);
        var updates = Channel.CreateUnbounded<JsonElement>();
        client.ChartUpdate = (json, _) => updates.Writer.TryWrite(JsonDocument.Parse(json).RootElement.Clone());
        await client.StartAsync(http, timeout.Token);

        // A reading stored before the circuit's first render is in the chart it starts with, not
        // an update: send new ones until the first update shows, then one more.
        JsonElement? first = null;
        for (var value = 700; first is null; value++)
        {
            (await http.GetAsync($"/luminosity/{value}", timeout.Token)).EnsureSuccessStatusCode();
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            wait.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                first = await NextWithAsync(value, wait.Token);
            }
            catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
            {
                // Not live yet.
            }
        }
        (await http.GetAsync("/luminosity/999", timeout.Token)).EnsureSuccessStatusCode();
        var second = await NextWithAsync(999, timeout.Token);

        Assert.True(second.GetProperty("generation").GetInt64() > first.Value.GetProperty("generation").GetInt64());
        Assert.DoesNotContain(999.0, Values(first.Value));
        Assert.True(client.RenderBatches > 0);

        async Task<JsonElement> NextWithAsync(double value, CancellationToken cancellationToken)
        {
            while (true)
            {
                var update = await updates.Reader.ReadAsync(cancellationToken);
                if (Values(update).Contains(value))
                {
                    return update;
                }
            }
        }
    }

    [Fact]
    public void Finds_the_chart_json_among_a_batchs_strings()
    {
        var json = """{"generation":4,"appends":[{"series":0,"points":[{"x":1,"y":2}]}]}""";
        // A length-prefixed string table as in a render batch, with the chart's JSON among other strings.
        byte[] batch = [.. "\u0005value"u8, (byte)json.Length, .. System.Text.Encoding.UTF8.GetBytes(json), .. "\u0003{\"g"u8, 0, 0, 0, 7];

        Assert.Equal([json], ChartAppendScanner.Find(batch));
    }

    private static IEnumerable<double> Values(JsonElement update) =>
        update.GetProperty("appends").EnumerateArray()
            .SelectMany(append => append.GetProperty("points").EnumerateArray())
            .Select(point => point.GetProperty("y").GetDouble());
}
