using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using BlazorIot.Shared.Readings;
using BlazorIot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using MQTTnet.Formatter;

namespace BlazorIot.Tests.Mqtt;

/// <summary>The broker in the server as its own process: a PUBACK survives kill -9, and a busy MQTT port is named at start.</summary>
public sealed class MqttProcessTests
{
    [Fact]
    public async Task Killed_under_a_QoS_1_stream_every_acknowledged_reading_is_there_after_restart_exactly_once()
    {
        var path = LiveServer.NewDatabasePath();
        try
        {
            var mqttPort = ServerProcess.FreePort();
            var settings = new Dictionary<string, string> { ["Storage:SqlitePath"] = path, ["Mqtt:Port"] = mqttPort.ToString(CultureInfo.InvariantCulture) };
            var acknowledged = new ConcurrentQueue<long>();
            long inFlight;
            await using (var server = new ServerProcess(ServerProcess.FreePort(), settings))
            {
                await server.StartAsync();
                using var client = await MqttDevice.ConnectAsync(mqttPort, MqttProtocolVersion.V500);
                var id = 0L;
                var publisher = Task.Run(async () =>
                {
                    while (true)
                    {
                        var next = Interlocked.Increment(ref id);
                        try
                        {
                            await MqttDevice.PublishStoredAsync(client, MqttDevice.Topic("crash"), string.Create(CultureInfo.InvariantCulture, $$"""{"value":{{next}},"id":{{next}}}"""));
                            acknowledged.Enqueue(next);
                        }
                        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
                        {
                            return;
                        }
                    }
                });

                await Eventually.TrueAsync(() => acknowledged.Count >= 300, "the broker has acknowledged a good number of readings", TimeSpan.FromSeconds(60));
                await server.KillAsync();
                await publisher;
                inFlight = Interlocked.Read(ref id);
            }

            await using var restarted = new ServerProcess(ServerProcess.FreePort(), settings);
            await restarted.StartAsync();
            // The device sends again what was never acknowledged, to the same MQTT port.
            using (var client = await MqttDevice.ConnectAsync(mqttPort, MqttProtocolVersion.V500))
            {
                await MqttDevice.PublishStoredAsync(client, MqttDevice.Topic("crash"), string.Create(CultureInfo.InvariantCulture, $$"""{"value":{{inFlight}},"id":{{inFlight}}}"""));
            }
            using var reader = new HttpClient { BaseAddress = restarted.BaseAddress };
            var stored = (await reader.GetFromJsonAsync<Reading[]>("/api/sensors/crash/readings?limit=100000"))!;
            var storedIds = stored.Select(r => r.DeviceId!.Value).ToArray();

            Assert.Empty(acknowledged.Except(storedIds));
            Assert.Contains(inFlight, storedIds);
            Assert.Equal(storedIds.Length, storedIds.Distinct().Count());
            Assert.All(stored, r => Assert.Equal(r.DeviceId, (long)r.Value));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task A_busy_Mqtt_Port_stops_the_start_with_one_line_that_names_the_setting()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var directory = Directory.CreateTempSubdirectory("blazoriot-mqtt-port-").FullName;
        try
        {
            await using var server = new ServerProcess(ServerProcess.FreePort(), new Dictionary<string, string>
            {
                ["Storage:SqlitePath"] = Path.Combine(directory, "blazoriot.db"),
                ["Mqtt:Port"] = port.ToString(CultureInfo.InvariantCulture),
            });

            var code = await server.RunToExitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(1, code);
            var line = Assert.Single(server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), l => l.Contains("cannot start", StringComparison.Ordinal));
            Assert.Contains($"127.0.0.1:{port} is already in use by another program", line);
            Assert.Contains("Mqtt:Port", line);
            Assert.DoesNotContain("--urls", line);
            Assert.Single(Regex.Matches(server.Output, "cannot start"));
            Assert.DoesNotContain("   at ", server.Output);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
