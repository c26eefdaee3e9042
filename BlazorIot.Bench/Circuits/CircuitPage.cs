using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BlazorIot.Bench.Circuits;

/// <summary>
/// What a page's prerendered HTML gives a circuit client: its server component markers, in order,
/// and the persisted component state; together they make the circuit's first UpdateRootComponents.
/// </summary>
internal sealed partial record CircuitPage(Uri Address, IReadOnlyList<JsonElement> Markers, string State)
{
    public static async Task<CircuitPage> LoadAsync(HttpClient http, Uri page, CancellationToken cancellationToken)
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
        return new CircuitPage(page, markers, state);
    }

    public string BaseUri => new Uri(Address, "/").ToString();

    /// <summary>The operations that add each marked component to the circuit, as blazor.web.js sends them.</summary>
    public string AddComponentsOperations()
    {
        var operations = new StringBuilder("{\"batchId\":1,\"operations\":[");
        for (var i = 0; i < Markers.Count; i++)
        {
            operations.Append(i == 0 ? "" : ",").Append("{\"type\":\"add\",\"ssrComponentId\":").Append(i + 1).Append(",\"marker\":").Append(Markers[i].GetRawText()).Append('}');
        }
        return operations.Append("]}").ToString();
    }

    [GeneratedRegex(@"<!--Blazor:(\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex ServerMarker();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:([A-Za-z0-9+/=]+)-->")]
    private static partial Regex ComponentState();
}
