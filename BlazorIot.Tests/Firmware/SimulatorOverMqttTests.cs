using System.Globalization;
using BlazorIot.Firmware.Core;
using BlazorIot.Firmware.Simulator;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BlazorIot.Tests.Firmware;

/// <summary>The Simulator's --mqtt transport under the device's Core, against the embedded broker of a real server.</summary>
public sealed class SimulatorOverMqttTests
{
    [Fact]
    public async Task Each_reading_published_at_QoS_1_is_stored_with_its_id_and_device_timestamp()
    {
        await using var server = LiveServer.Start();
        var clock = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
        using var transport = NewTransport(server.MqttPort);
        var device = new DeviceLoop(Settings(server), new CountingSensor(), clock, transport, new RecordingLog(), new Random(7));

        device.RunFor(clock, 10_000);

        // The transport returns only after every PUBACK, and a PUBACK means committed: no waiting here.
        Assert.Equal(10, device.Sampled);
        Assert.Equal(device.Sampled, device.Sent);
        Assert.Equal(0, device.Buffer.Count);
        await StoredSensorReadings.AssertEachArrivedOnceInOrderAsync(server, "sim", device.Sampled, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task The_device_buffers_while_the_broker_is_down_and_every_reading_arrives_once_when_it_is_back()
    {
        var path = LiveServer.NewDatabasePath();
        var server = LiveServer.Start(databasePath: path);
        try
        {
            var httpPort = server.BaseAddress.Port;
            var mqttPort = server.MqttPort;
            var clock = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
            using var transport = NewTransport(mqttPort);
            var log = new RecordingLog();
            var device = new DeviceLoop(Settings(server), new CountingSensor(), clock, transport, log, new Random(5));

            device.RunFor(clock, 10_000);
            Assert.Equal(device.Sampled, device.Sent);

            await server.DisposeAsync();
            device.RunFor(clock, 20_000);
            Assert.True(device.Buffer.Count >= 19, $"{device.Buffer.Count} readings buffered during the outage");
            Assert.Contains(log.Lines, l => l.Contains("send failed (no answer)", StringComparison.Ordinal));

            // The same database, HTTP port and MQTT port: the broker is back where the device left it.
            server = LiveServer.Start(databasePath: path, port: httpPort, settings: new Dictionary<string, string?>
            {
                ["Mqtt:Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
            });
            device.RunFor(clock, 10_000);
            Assert.Equal(0, device.Buffer.Count);
            Assert.Equal(device.Sampled, device.Sent);

            await StoredSensorReadings.AssertEachArrivedOnceInOrderAsync(server, "sim", device.Sampled, TimeSpan.FromSeconds(1));
        }
        finally
        {
            await server.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    private static MqttTransport NewTransport(int mqttPort) =>
        new(new Uri($"mqtt://127.0.0.1:{mqttPort}"), "", "", $"sim-test-{Guid.NewGuid():N}", TimeSpan.FromSeconds(5));

    // The HTTP address is Core's to validate; the MQTT transport does not use it.
    private static DeviceSettings Settings(LiveServer server) => new()
    {
        ServerUrl = server.BaseAddress.ToString().TrimEnd('/'),
        SensorId = "sim",
        PeriodMs = 1000,
        BatchSize = 5,
        BackoffInitialMs = 500,
        BackoffMaxMs = 4000,
    };
}
