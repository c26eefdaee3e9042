using BlazorIot.Firmware.Core;
using BlazorIot.Firmware.Simulator;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BlazorIot.Tests.Firmware;

public sealed class SimulatorAgainstServerTests
{
    [Fact]
    public async Task The_device_rides_out_a_server_outage_and_every_reading_arrives_once_in_order_with_its_timestamp()
    {
        var path = LiveServer.NewDatabasePath();
        var server = LiveServer.Start(databasePath: path);
        try
        {
            var clock = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
            using var transport = new HttpTransport(TimeSpan.FromSeconds(5));
            var settings = new DeviceSettings
            {
                ServerUrl = server.BaseAddress.ToString().TrimEnd('/'),
                SensorId = "sim",
                PeriodMs = 1000,
                BatchSize = 5,
                BackoffInitialMs = 500,
                BackoffMaxMs = 4000,
            };
            var log = new RecordingLog();
            var device = new DeviceLoop(settings, new CountingSensor(), clock, transport, log, new Random(5));
            var port = server.BaseAddress.Port;

            device.RunFor(clock, 10_000);
            Assert.Equal(device.Sampled, device.Sent);

            await server.DisposeAsync();
            device.RunFor(clock, 20_000);
            Assert.True(device.Buffer.Count >= 19, $"{device.Buffer.Count} readings buffered during the outage");
            Assert.Contains(log.Lines, l => l.Contains("send failed", StringComparison.Ordinal));

            server = LiveServer.Start(databasePath: path, port: port);
            device.RunFor(clock, 10_000);
            Assert.Equal(0, device.Buffer.Count);
            Assert.Equal(device.Sampled, device.Sent);

            var stored = await StoredSensorReadings.AssertEachArrivedOnceInOrderAsync(server, "sim", device.Sampled, TimeSpan.FromSeconds(1));
            Assert.Equal(clock.UnixTimeMilliseconds() - 1000, stored[^1].Timestamp.ToUnixTimeMilliseconds(), tolerance: 1000);
        }
        finally
        {
            await server.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
