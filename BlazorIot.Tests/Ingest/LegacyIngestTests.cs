using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using BlazorIot.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace BlazorIot.Tests.Ingest;

public sealed class LegacyIngestTests
{
    [Theory]
    [InlineData("412", 412)]
    [InlineData("-36", -36)]
    [InlineData("0", 0)]
    public async Task Stores_an_integer_and_answers_200_with_an_empty_body(string path, double expected)
    {
        await using var server = LiveServer.Start();
        using var client = server.CreateNetworkClient();

        using var response = await client.GetAsync($"/luminosity/{path}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal([expected], server.Hub.GetWindow("luminosity").Select(r => r.Value));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("12.5")]
    [InlineData("+5")]
    [InlineData("12a")]
    [InlineData("-")]
    [InlineData("99999999999999999999999")]
    public async Task Rejects_a_value_that_is_not_an_integer_with_problem_details(string path)
    {
        await using var server = LiveServer.Start();
        using var client = server.CreateNetworkClient();

        using var response = await client.GetAsync($"/luminosity/{path}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal(400, problem?.Status);
        Assert.Equal("The value is not an integer.", problem?.Title);
        Assert.Empty(server.Hub.GetWindow("luminosity"));
    }

    [Fact]
    public async Task Accepts_the_original_devices_http_1_0_request_and_closes_the_connection()
    {
        await using var server = LiveServer.Start();
        using var socket = new TcpClient();
        await socket.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = socket.GetStream();

        // Exactly what MicroPython's urequests sends: HTTP/1.0, a Host header and nothing else.
        var request = Encoding.ASCII.GetBytes($"GET /luminosity/-128 HTTP/1.0\r\nHost: {server.BaseAddress.Authority}\r\n\r\n");
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        var response = await reader.ReadToEndAsync(timeout.Token);

        Assert.Matches(@"^HTTP/1\.[01] 200 OK\r\n", response);
        Assert.Contains("Content-Length: 0\r\n", response);
        Assert.EndsWith("\r\n\r\n", response);
        Assert.Equal([-128.0], server.Hub.GetWindow("luminosity").Select(r => r.Value));
    }
}
