using System.Net;
using System.Net.Http.Json;
using System.Text;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace BlazorIot.Tests.Ingest;

public sealed class ValidationTests(LiveServerFixture fixture) : IClassFixture<LiveServerFixture>
{
    private const string Json = "application/json";

    public static TheoryData<string, string, string?, string?, int> BadRequests()
    {
        var data = new TheoryData<string, string, string?, string?, int>();
        void Post(string body, int status = 400, string? contentType = Json) => data.Add("POST", "/api/readings", contentType, body, status);
        void Get(string path, int status = 400) => data.Add("GET", path, null, null, status);

        Post("{");
        Post("");
        Post("\"hello\"");
        Post("42");
        Post("null");
        Post("[]");
        Post("[1,2]");
        Post("[" + string.Join(",", Enumerable.Repeat("{\"sensor\":\"a\",\"value\":1}", 1001)) + "]", 413);
        Post("{\"sensor\":\"a\",\"value\":1,\"note\":\"" + new string('x', 1_100_000) + "\"}", 413);
        Post("{\"sensor\":\"a\",\"value\":1}", 415, "text/plain");
        Post("{\"sensor\":\"a\",\"value\":1}", 415, null);
        Post("<reading sensor=\"a\" value=\"1\"/>", 415, "application/xml");
        Post("{\"value\":1}");
        Post("{\"sensor\":\"a\"}");
        Post("{\"sensor\":\"a\",\"value\":\"12\"}");
        Post("{\"sensor\":\"a\",\"value\":true}");
        Post("{\"sensor\":\"a\",\"value\":null}");
        Post("{\"sensor\":\"a\",\"value\":\"NaN\"}");
        Post("{\"sensor\":\"a\",\"value\":\"Infinity\"}");
        Post("{\"sensor\":\"a\",\"value\":1e400}");
        Post("{\"sensor\":\"a\",\"value\":-1e309}");
        Post("{\"sensor\":\"A\",\"value\":1}");
        Post("{\"sensor\":\"\",\"value\":1}");
        Post("{\"sensor\":\"a b\",\"value\":1}");
        Post("{\"sensor\":\"" + new string('a', 65) + "\",\"value\":1}");
        Post("{\"sensor\":\"-a\",\"value\":1}");
        Post("{\"sensor\":\"a/../b\",\"value\":1}");
        Post("{\"sensor\":\"a\\nevent: forged\",\"value\":1}");
        Post("{\"sensor\":12,\"value\":1}");
        Post("{\"sensor\":\"a\",\"value\":1,\"timestamp\":\"yesterday\"}");
        Post("{\"sensor\":\"a\",\"value\":1,\"timestamp\":\"2026-11-28T17:02:01\"}");
        Post("{\"sensor\":\"a\",\"value\":1,\"timestamp\":\"1999-12-31T23:59:59Z\"}");
        Post("{\"sensor\":\"a\",\"value\":1,\"timestamp\":4102444800}");
        Post("{\"sensor\":\"a\",\"value\":1,\"timestamp\":true}");
        Post("{\"sensor\":\"a\",\"value\":1,\"id\":-1}");
        Post("{\"sensor\":\"a\",\"value\":1,\"id\":1.5}");
        Post("{\"sensor\":\"a\",\"value\":1,\"id\":\"7\"}");
        Post("[{\"sensor\":\"a\",\"value\":1},{\"sensor\":\"a\",\"value\":\"x\"}]");
        Get("/api/sensors/a/ingest");
        Get("/api/sensors/a/ingest?value=abc");
        Get("/api/sensors/a/ingest?value=NaN");
        Get("/api/sensors/a/ingest?value=1e999");
        Get("/api/sensors/A/ingest?value=1");
        Get("/api/sensors/a/ingest?value=1&timestamp=nope");
        Get("/api/sensors/a/ingest?value=1&deviceId=-3");
        Get("/luminosity/1.5");
        Get("/luminosity/%20");
        return data;
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_gets_a_clear_problem_and_stores_nothing(string method, string path, string? contentType, string? body, int status)
    {
        var server = fixture.Server;
        using var client = server.CreateNetworkClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            }
        }

        using var response = await client.SendAsync(request);

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal(status, problem?.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem?.Title));
        Assert.Empty(await client.GetFromJsonAsync<SensorInfo[]>("/api/sensors") ?? []);
        Assert.Empty(server.Hub.Sensors);
    }

    [Fact]
    public async Task Field_errors_name_the_reading_and_the_field()
    {
        using var client = fixture.Server.CreateNetworkClient();

        using var response = await client.PostAsJsonAsync("/api/readings", new object[]
        {
            new { sensor = "ok", value = 1 },
            new { sensor = "Bad Id", value = 2, timestamp = "soon" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Equal(["[1].sensor", "[1].timestamp"], problem!.Errors.Keys.Order());
        Assert.Empty(fixture.Server.Hub.Sensors);
    }
}
