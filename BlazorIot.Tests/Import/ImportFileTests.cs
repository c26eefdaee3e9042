using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;

namespace BlazorIot.Tests.Import;

/// <summary>
/// What an import makes of a file: every kind of bad file is refused with the bad lines by number
/// and stores nothing; the forms a good file may take are all read right.
/// </summary>
public sealed class ImportFileTests(LiveServerFixture fixture) : IClassFixture<LiveServerFixture>
{
    /// <summary>Times the cases' placeholders stand for: {0}..{4} recent ISO times a second apart, then odd ones.</summary>
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());

    private static readonly object[] Times =
    [
        CsvUpload.Iso(T0), CsvUpload.Iso(T0.AddSeconds(1)), CsvUpload.Iso(T0.AddSeconds(2)), CsvUpload.Iso(T0.AddSeconds(3)), CsvUpload.Iso(T0.AddSeconds(4)),
        T0.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), // 5: no offset
        "1999-12-31T23:59:59Z", // 6: before 2000
        CsvUpload.Iso(DateTimeOffset.UtcNow.AddDays(3)), // 7: days ahead
        T0.ToUnixTimeSeconds(), // 8: Unix seconds
        T0.AddSeconds(1).ToUnixTimeMilliseconds(), // 9: Unix milliseconds
        T0.AddHours(2).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture).Replace("+00:00", "+02:00", StringComparison.Ordinal), // 10: an offset other than Z
        CsvUpload.Iso(DateTimeOffset.UtcNow.AddDays(-31)), // 11: older than the default retention keeps
    ];

    private static int sensorNumber;

    public static TheoryData<string, string, int[], string> BadFiles => new()
    {
        { "unknown column", "timestamp,valeur\n{0},1\n", [1], "Unknown column 'valeur'" },
        { "missing value column", "timestamp,id\n{0},1\n", [1], "no 'value' column" },
        { "missing timestamp column", "value\n1\n", [1], "no 'timestamp' column" },
        { "column named twice", "timestamp,value,Value\n{0},1,2\n", [1], "named twice" },
        { "too many fields under a header", "timestamp,value\n{0},1\n{1},2,3\n", [3], "3 fields; the header has 2" },
        { "too few fields without a header", "{0},1\n{1}\n{2},3\n", [2], "1 field;" },
        { "too many fields without a header", "{0},1,2,3\n", [1], "4 fields;" },
        { "text value", "timestamp,value\n{0},abc\n", [2], "value 'abc' is not a number" },
        { "NaN", "{0},NaN\n", [1], "finite" },
        { "Infinity", "{0},1\n{1},Infinity\n{2},-Infinity\n", [2, 3], "finite" },
        { "comma decimal, quoted", "{0},\"1,5\"\n", [1], "value '1,5' is not a number" },
        { "comma decimal, unquoted", "timestamp,value\n{0},1,5\n", [2], "3 fields; the header has 2" },
        { "time without offset", "{5},1\n", [1], "ISO 8601 string with an offset" },
        { "garbage time", "timestamp,value\nnot-a-time,1\n{0},2\n", [2], "timestamp 'not-a-time'" },
        { "times out of range", "{6},1\n{7},2\n1e16,3\n{0},4\n", [1, 2, 3], "timestamp" },
        { "unterminated quote", "timestamp,value\n\"{0},1\n{1},2\n", [2], "not closed" },
        { "text after a closing quote", "\"{0}\"Z,1\n", [1], "after a quoted field" },
        { "quote inside an unquoted field", "{0},1\"2\n", [1], "quote inside an unquoted field" },
        { "bad device ids", "timestamp,value,id\n{0},1,-3\n{1},2,seven\n{2},3,4\n", [2, 3], "id '" },
        { "bad receive time", "timestamp,value,received\n{0},1,soon\n", [2], "received 'soon'" },
        { "a line too long", "{0},1\n{1},1" + new string(' ', 5000) + "\n{2},1\n", [2], "longer than 4096 bytes" },
        { "line numbers count CRLF, blank and empty lines", "timestamp,value\r\n\r\n{0},1\r\n\n   \n{1},x\r\n{2},3", [6], "value 'x'" },
        { "a bad last line without its newline", "{0},1\n{1},oops", [2], "value 'oops'" },
        { "older than retention keeps", "{0},1\n{11},2\n", [2], "older than the store keeps readings (Storage:Retention, 30.00:00:00)" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_is_refused_with_its_bad_lines_and_stores_nothing(string why, string template, int[] lines, string error)
    {
        var sensor = NewSensor();
        using var client = fixture.Server.CreateNetworkClient();

        using var response = await CsvUpload.PostAsync(client, sensor, Fill(template));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var listed = problem.GetProperty("lines").EnumerateArray().ToArray();
        Assert.True(lines.SequenceEqual(listed.Select(l => l.GetProperty("line").GetInt32())), $"{why}: lines {string.Join(",", listed.Select(l => l.ToString()))}");
        Assert.All(listed, l => Assert.Contains(error, l.GetProperty("error").GetString(), StringComparison.Ordinal));
        Assert.Equal(lines.Length, problem.GetProperty("badLineCount").GetInt64());
        await AssertNothingStoredAsync(client, sensor);
    }

    [Theory]
    [InlineData("", "Send rows of timestamp,value")]
    [InlineData("\n\r\n   \n", "Send rows of timestamp,value")]
    [InlineData("timestamp,value\n", "a header line but no rows")]
    [InlineData("\uFEFFseq,sensor,timestamp,value,received,id\r\n\r\n", "a header line but no rows")]
    public async Task An_empty_file_or_a_header_alone_is_refused(string body, string detail)
    {
        var sensor = NewSensor();
        using var client = fixture.Server.CreateNetworkClient();

        using var response = await CsvUpload.PostAsync(client, sensor, body);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The file holds no readings.", problem.GetProperty("title").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(client, sensor);
    }

    [Fact]
    public async Task Of_many_bad_lines_the_first_twenty_are_listed_with_the_total()
    {
        var sensor = NewSensor();
        using var client = fixture.Server.CreateNetworkClient();
        var csv = new StringBuilder("timestamp,value\n");
        for (var i = 0; i < 60; i++)
        {
            // Lines 2, 4, 6, ...: every other row is good.
            csv.Append(CultureInfo.InvariantCulture, $"{CsvUpload.Iso(T0.AddSeconds(i))},{(i % 2 == 0 ? "bad" : "1")}\n");
        }

        using var response = await CsvUpload.PostAsync(client, sensor, csv.ToString());

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => 2 + (2 * i)), problem.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("line").GetInt32()));
        Assert.Equal(30, problem.GetProperty("badLineCount").GetInt64());
        Assert.Contains("30 bad lines; the first 20", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(client, sensor);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData("text/csv; charset=iso-8859-1")]
    public async Task A_body_that_is_not_utf8_csv_gets_415(string contentType)
    {
        var sensor = NewSensor();
        using var client = fixture.Server.CreateNetworkClient();

        using var response = await CsvUpload.PostAsync(client, sensor, Fill("{0},1\n"), contentType);

        var problem = await ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("text/csv", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(client, sensor);
    }

    [Fact]
    public async Task A_file_over_Import_MaxBytes_gets_413_whether_its_length_is_announced_or_not()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Import:MaxBytes"] = "2048" });
        using var client = server.CreateNetworkClient();
        var rows = new StringBuilder();
        for (var i = 0; rows.Length <= 4096; i++)
        {
            rows.Append(CultureInfo.InvariantCulture, $"{CsvUpload.Iso(T0.AddSeconds(i))},{i}\n");
        }
        var body = Encoding.UTF8.GetBytes(rows.ToString());

        using var announced = await CsvUpload.PostAsync(client, "big", body);
        using var chunked = await client.PostAsync("/api/sensors/big/import", new ChunkedCsv(body));
        using var fits = await CsvUpload.PostAsync(client, "small", body.AsSpan(0, body.AsSpan(0, 2048).LastIndexOf((byte)'\n') + 1).ToArray());

        foreach (var response in new[] { announced, chunked })
        {
            var problem = await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
            Assert.Contains("at most 2048 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        await AssertNothingStoredAsync(client, "big");
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
    }

    public static TheoryData<string, string, (int Time, double Value, long? Id)[]> GoodFiles => new()
    {
        { "a byte order mark", "\uFEFFtimestamp,value\n{0},1.5\n", [(0, 1.5, null)] },
        { "CRLF and LF mixed, blank lines, no final newline", "timestamp,value,id\r\n{0},1,1\n\r\n{1},2,2\r\n{2},3,3", [(0, 1, 1), (1, 2, 2), (2, 3, 3)] },
        { "quoted fields", "\"timestamp\",\"value\",\"id\"\n\"{0}\",\"412.5\",\"7\"\n  \"{1}\" , \"-3\" ,\n", [(0, 412.5, 7), (1, -3, null)] },
        { "a quoted field with an escaped quote and a comma", "seq,sensor,timestamp,value,received,id\n1,\"we\"\"ird, name\",{0},2.5,{4},\n", [(0, 2.5, null)] },
        { "Unix seconds and milliseconds", "{8},1\n{9},2\n", [(0, 1, null), (1, 2, null)] },
        { "another offset than Z", "{10},7\n", [(0, 7, null)] },
        { "columns by name in any order and case", "Value,TIMESTAMP\n1,{0}\n-2e3,{1}\n", [(0, 1, null), (1, -2000, null)] },
        { "positional rows with and without an id", "{0},1,\n{1},2,5\n{2},3\n", [(0, 1, null), (1, 2, 5), (2, 3, null)] },
    };

    [Theory]
    [MemberData(nameof(GoodFiles))]
    public async Task A_good_file_in_any_accepted_form_is_stored_as_written(string why, string template, (int Time, double Value, long? Id)[] expected)
    {
        var sensor = NewSensor();
        using var client = fixture.Server.CreateNetworkClient();

        var (rows, stored, duplicates) = await CsvUpload.ImportAsync(client, sensor, Fill(template));

        Assert.Equal((expected.Length, expected.Length, 0), (rows, stored, duplicates));
        var readings = (await client.GetFromJsonAsync<Reading[]>($"/api/sensors/{sensor}/readings"))!;
        Assert.True(
            expected.Select(e => (T0.AddSeconds(e.Time), e.Value, e.Id)).SequenceEqual(readings.Select(r => (r.Timestamp, r.Value, r.DeviceId))),
            $"{why}: stored {string.Join("; ", readings.Select(r => $"{r.Timestamp:O} {r.Value} {r.DeviceId}"))}");
    }

    [Fact]
    public async Task Our_export_is_taken_as_it_is_keeping_the_receive_time_and_ignoring_seq_and_sensor()
    {
        var sensor = NewSensor();
        using var client = fixture.Server.CreateNetworkClient();
        var csv = Fill("seq,sensor,timestamp,value,received,id\n17,other,{0},21.5,{3},3\n18,other,{1},22,{4},\n");

        var (rows, stored, _) = await CsvUpload.ImportAsync(client, sensor, csv);

        Assert.Equal((2, 2), (rows, stored));
        var readings = (await client.GetFromJsonAsync<Reading[]>($"/api/sensors/{sensor}/readings"))!;
        Assert.Equal(
            [(sensor, T0, 21.5, T0.AddSeconds(3), (long?)3), (sensor, T0.AddSeconds(1), 22.0, T0.AddSeconds(4), null)],
            readings.Select(r => (r.Sensor, r.Timestamp, r.Value, r.Received, r.DeviceId)));
        Assert.DoesNotContain((await client.GetFromJsonAsync<SensorInfo[]>("/api/sensors"))!, s => s.Id == "other");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_csv_body_and_the_answers()
    {
        using var client = fixture.Server.CreateNetworkClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var import = document.RootElement.GetProperty("paths").GetProperty("/api/sensors/{id}/import").GetProperty("post");
        Assert.True(import.GetProperty("requestBody").GetProperty("content").TryGetProperty("text/csv", out _));
        Assert.Equal(["200", "400", "413", "415", "503"], import.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
    }

    private static string Fill(string template) => string.Format(CultureInfo.InvariantCulture, template, Times);

    private static string NewSensor() => $"import-{Interlocked.Increment(ref sensorNumber)}";

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        return json.RootElement.Clone();
    }

    private static async Task AssertNothingStoredAsync(HttpClient client, string sensor)
    {
        using var response = await client.GetAsync($"/api/sensors/{sensor}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>A body sent without Content-Length, as a browser's stream or <c>curl -T -</c> sends one.</summary>
    private sealed class ChunkedCsv : HttpContent
    {
        private readonly byte[] body;

        public ChunkedCsv(byte[] body)
        {
            this.body = body;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
