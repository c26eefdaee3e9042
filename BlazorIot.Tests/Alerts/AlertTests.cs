using System.Net;
using System.Net.Http.Json;
using BlazorIot.Server.Alerts;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using BlazorIot.Tests.Live;

namespace BlazorIot.Tests.Alerts;

public sealed class AlertTests
{
    private static readonly Thresholds Limits = new(Low: 10, High: 30, Hysteresis: 2);

    [Theory]
    [InlineData(null, 31.0, AlertKind.High)]
    [InlineData(null, 30.0, null)]
    [InlineData(AlertKind.High, 29.0, AlertKind.High)]
    [InlineData(AlertKind.High, 28.0, null)]
    [InlineData(null, 9.0, AlertKind.Low)]
    [InlineData(AlertKind.Low, 11.5, AlertKind.Low)]
    [InlineData(AlertKind.Low, 12.0, null)]
    [InlineData(AlertKind.High, 5.0, AlertKind.Low)]
    public void An_alert_starts_beyond_a_threshold_and_ends_only_back_inside_by_the_hysteresis(AlertKind? current, double value, AlertKind? expected)
    {
        Assert.Equal(expected, AlertRule.Next(Limits, current, value));
    }

    [Fact]
    public void No_thresholds_no_alert()
    {
        Assert.Null(AlertRule.Next(Thresholds.None, null, 1e9));
        Assert.Null(AlertRule.Next(Thresholds.None, AlertKind.High, 1e9));
    }

    [Fact]
    public async Task A_noisy_crossing_logs_one_alert_with_its_start_end_and_peak_and_the_limits_persist()
    {
        var time = HubFactory.Clock();
        var path = LiveServer.NewDatabasePath();
        try
        {
            await using (var server = LiveServer.Start(time, databasePath: path))
            {
                using var client = server.CreateNetworkClient();
                (await client.PutAsJsonAsync("/api/sensors/temp/thresholds", Limits)).EnsureSuccessStatusCode();
                var start = time.GetUtcNow();
                double[] values = [25, 31, 29.5, 30.5, 33, 29, 27, 26];
                var body = values.Select((v, i) => new { sensor = "temp", value = v, timestamp = start.AddSeconds(i).ToString("O") });
                (await client.PostAsJsonAsync("/api/readings", body)).EnsureSuccessStatusCode();

                List<Alert> alerts = [];
                await Eventually.TrueAsync(() =>
                {
                    alerts = client.GetFromJsonAsync<List<Alert>>("/api/sensors/temp/alerts").GetAwaiter().GetResult()!;
                    return alerts is [{ Ended: not null }];
                }, "the alert is logged with its end");
                Assert.Equal(new Alert(alerts[0].Id, "temp", AlertKind.High, 30, start.AddSeconds(1), start.AddSeconds(6), 33), alerts[0]);
                using var invalid = await client.PutAsJsonAsync("/api/sensors/temp/thresholds", new Thresholds(5, 1, 0));
                Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            }

            await using var restarted = LiveServer.Start(time, databasePath: path);
            using var again = restarted.CreateNetworkClient();
            Assert.Equal(Limits, await again.GetFromJsonAsync<Thresholds>("/api/sensors/temp/thresholds"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
