using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace BlazorIot.Tests.Import;

/// <summary>Sends a CSV file to <c>POST /api/sensors/{id}/import</c> as the dashboard's upload does, and reads the answer.</summary>
internal static class CsvUpload
{
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string sensor, string csv, string contentType = "text/csv") =>
        PostAsync(client, sensor, Encoding.UTF8.GetBytes(csv), contentType);

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string sensor, byte[] body, string contentType = "text/csv")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await client.PostAsync($"/api/sensors/{sensor}/import", content);
    }

    /// <summary>A 200 answer's figures: rows, stored, duplicates.</summary>
    public static async Task<(long Rows, long Stored, long Duplicates)> ImportAsync(HttpClient client, string sensor, string csv)
    {
        using var response = await PostAsync(client, sensor, csv);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"The import answered {(int)response.StatusCode}: {body}");
        return Summary(body, sensor);
    }

    public static (long Rows, long Stored, long Duplicates) Summary(string body, string sensor)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(sensor, root.GetProperty("sensor").GetString());
        return (root.GetProperty("rows").GetInt64(), root.GetProperty("stored").GetInt64(), root.GetProperty("duplicates").GetInt64());
    }

    /// <summary>An ISO 8601 time as our export writes it.</summary>
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
}
