using System;
using System.Threading;
using BlazorIot.Firmware.Core;

namespace BlazorIot.Firmware.Simulator
{
    /// <summary>Runs the device's Core against a simulated sensor and a real server, one thread per simulated device.</summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            SimulatorOptions options;
            try
            {
                options = SimulatorOptions.Parse(args);
            }
            catch (Exception exception) when (exception is ArgumentException || exception is FormatException)
            {
                Console.Error.WriteLine(exception.Message);
                Console.Error.WriteLine("usage: --server http://localhost:8080 --sensor luminosity --period 3s [--devices N] [--legacy] [--batch N] [--key KEY] [--replay values.csv] [--duration 60s] [--mqtt mqtt://[user:key@]host:1883]");
                return 2;
            }

            using (var stop = new CancellationTokenSource())
            using (var http = new HttpTransport(TimeSpan.FromSeconds(10)))
            {
                Console.CancelKeyPress += (sender, e) =>
                {
                    e.Cancel = true;
                    stop.Cancel();
                };
                if (options.DurationMs > 0)
                {
                    stop.CancelAfter(options.DurationMs);
                }
                var threads = new Thread[options.Devices];
                var mqttTransports = new MqttTransport[options.Devices];
                for (int i = 0; i < options.Devices; i++)
                {
                    string sensor = options.Devices == 1 ? options.Sensor : options.Sensor + "-" + (i + 1).ToString();
                    var settings = new DeviceSettings
                    {
                        ServerUrl = options.Server,
                        SensorId = sensor,
                        PeriodMs = options.PeriodMs,
                        BatchSize = options.Batch,
                        ApiKey = options.Key,
                        Mode = options.Legacy ? DeviceSettings.LegacyMode : DeviceSettings.JsonMode,
                    };
                    var clock = new SystemClock();
                    var random = new Random(i + Environment.TickCount);
                    ISensor source = options.Replay != null ? new CsvReplaySensor(options.Replay) : new SimulatedLight(clock, random);
                    ITransport transport = http;
                    if (options.MqttBroker != null)
                    {
                        // One connection per device, as each board would have its own.
                        mqttTransports[i] = new MqttTransport(options.MqttBroker, options.MqttUser, options.MqttPassword, MqttClientId(sensor, random), TimeSpan.FromSeconds(10));
                        transport = mqttTransports[i];
                    }
                    var device = new DeviceLoop(settings, source, clock, transport, new ConsoleLog(sensor), random);
                    threads[i] = new Thread(() => Run(device, stop.Token)) { Name = sensor };
                    threads[i].Start();
                }
                foreach (Thread thread in threads)
                {
                    thread.Join();
                }
                foreach (MqttTransport mqtt in mqttTransports)
                {
                    if (mqtt != null)
                    {
                        mqtt.Dispose();
                    }
                }
            }
            return 0;
        }

        // Unique per run, so two Simulators for the same sensor do not take each other's connection over.
        private static string MqttClientId(string sensor, Random random)
        {
            return "sim-" + sensor + "-" + random.Next(0x100000, 0xFFFFFF).ToString("x");
        }

        private static void Run(DeviceLoop device, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                long wait = device.Step();
                stop.WaitHandle.WaitOne((int)Math.Min(wait, int.MaxValue));
            }
        }
    }
}
