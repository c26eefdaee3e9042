using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;

namespace BlazorIot.Tests.Ingest;

/// <summary>
/// Generated ingest requests, valid and broken in every field and shape: the server never
/// answers 5xx, accepts exactly the valid ones, and stores nothing from an invalid one.
/// </summary>
public sealed class IngestPropertyTests
{
    private const int Count = 10_000;

    private sealed record Field(string? Json, bool Valid);

    private sealed record Request(string Body, bool Valid);

    [Fact]
    public async Task Ten_thousand_generated_requests_never_get_a_5xx_and_invalid_ones_store_nothing()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Ingest:RequestsPerSecond"] = "1000000", ["Ingest:Burst"] = "1000000" });
        using var client = server.CreateNetworkClient();
        var property = Prop.ForAll(Requests().ToArbitrary(), request =>
        {
            var before = server.Hub.LastSequence;
            using var content = new StringContent(request.Body, Encoding.UTF8, "application/json");
            using var response = client.PostAsync("/api/readings", content).GetAwaiter().GetResult();
            var status = (int)response.StatusCode;
            var stored = response.StatusCode == HttpStatusCode.OK
                ? response.Content.ReadFromJsonAsync<IngestResult>().GetAwaiter().GetResult()!.Stored
                : 0;
            return status < 500
                && (request.Valid ? status == 200 : status is >= 400 and < 500)
                && server.Hub.LastSequence == before + stored;
        });

        property.Check(Config.QuickThrowOnFailure.WithMaxTest(Count));
    }

    private static Gen<Request> Requests()
    {
        var reading = Gen.Zip(Gen.Zip(Sensor(), Value()), Gen.Zip(Timestamp(), DeviceId()))
            .Select(f => Object(f.Item1.Item1, f.Item1.Item2, f.Item2.Item1, f.Item2.Item2));
        var single = reading;
        var batch = Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(reading, n))
            .Select(items => new Request("[" + string.Join(",", items.Select(i => i.Body)) + "]", items.All(i => i.Valid)));
        var garbage = Gen.Elements("{", "[", "", "nul", "[1,2]", "42", "\"x\"", "{\"sensor\":}", "[]", "[{}]", "{\"sensor\":\"a\",\"value\":1,}")
            .Select(body => new Request(body, false));
        return Gen.Frequency((6, single), (3, batch), (1, garbage));
    }

    private static Request Object(params Field[] fields) =>
        new("{" + string.Join(",", new[] { "sensor", "value", "timestamp", "id" }.Zip(fields).Where(p => p.Second.Json is not null).Select(p => $"\"{p.First}\":{p.Second.Json}")) + "}",
            fields.All(f => f.Valid));

    private static Gen<Field> Sensor() => Gen.OneOf(
        Gen.Elements("a", "luminosity", "g.t-1", "x_2", "0").Select(s => new Field($"\"{s}\"", true)),
        Gen.Elements("\"A\"", "\"\"", "\"a b\"", "12", "null", $"\"{new string('a', 65)}\"", "\"-x\"", "\"a\\nb\"", "\"é\"").Select(s => new Field(s, false)),
        Gen.Constant(new Field(null, false)));

    private static Gen<Field> Value() => Gen.OneOf(
        Gen.Choose(-1_000_000, 1_000_000).Select(v => new Field((v / 100.0).ToString("R", CultureInfo.InvariantCulture), true)),
        Gen.Elements("\"12\"", "true", "null", "1e400", "-1e309", "\"NaN\"", "\"Infinity\"", "[]", "{}").Select(s => new Field(s, false)),
        Gen.Constant(new Field(null, false)));

    private static Gen<Field> Timestamp()
    {
        var now = DateTimeOffset.UtcNow;
        return Gen.OneOf(
            Gen.Constant(new Field(null, true)),
            Gen.Choose(0, 60 * 24 * 365).Select(m => new Field($"\"{now.AddMinutes(-m).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}\"", true)),
            Gen.Choose(0, 60 * 24 * 365).Select(m => new Field(now.AddMinutes(-m).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), true)),
            Gen.Choose(0, 60 * 24 * 365).Select(m => new Field(now.AddMinutes(-m).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), true)),
            Gen.Elements("\"yesterday\"", "\"2026-11-28T10:00:00\"", "1e20", "true", "\"1999-01-01T00:00:00Z\"", "\"2999-01-01T00:00:00Z\"", "-5", "{}").Select(s => new Field(s, false)));
    }

    private static Gen<Field> DeviceId() => Gen.OneOf(
        Gen.Constant(new Field(null, true)),
        Gen.Choose(0, 1_000_000).Select(i => new Field(i.ToString(CultureInfo.InvariantCulture), true)),
        Gen.Elements("-1", "1.5", "\"7\"", "true", "1e30").Select(s => new Field(s, false)));
}
