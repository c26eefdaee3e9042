using System;
using System.Globalization;

namespace BlazorIot.Firmware.Simulator
{
    /// <summary>The command line: --server URL --sensor ID --period 3s [--devices N] [--legacy] [--batch N] [--key KEY] [--replay FILE] [--duration 60s] [--mqtt mqtt://[user:key@]host:port].</summary>
    public sealed class SimulatorOptions
    {
        public string Server { get; private set; } = "http://localhost:8080";

        public string Sensor { get; private set; } = "luminosity";

        public int PeriodMs { get; private set; } = 3000;

        public int Devices { get; private set; } = 1;

        public bool Legacy { get; private set; }

        public int Batch { get; private set; } = 20;

        public string Key { get; private set; } = "";

        public string Replay { get; private set; }

        /// <summary>How long to run; forever when zero.</summary>
        public int DurationMs { get; private set; }

        /// <summary>The MQTT broker to publish to instead of HTTP (mqtt://, mqtts://, ws://, wss://), without its credentials; null for HTTP.</summary>
        public Uri MqttBroker { get; private set; }

        /// <summary>The user name from the --mqtt URL; empty when it had none.</summary>
        public string MqttUser { get; private set; } = "";

        /// <summary>The MQTT password: the key in the --mqtt URL, else --key.</summary>
        public string MqttPassword
        {
            get { return mqttUrlPassword ?? Key; }
        }

        private string mqttUrlPassword;

        public static SimulatorOptions Parse(string[] args)
        {
            var options = new SimulatorOptions();
            for (int i = 0; i < args.Length; i++)
            {
                string name = args[i];
                if (name == "--legacy")
                {
                    options.Legacy = true;
                    continue;
                }
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException(name + " needs a value.");
                }
                string value = args[++i];
                switch (name)
                {
                    case "--server": options.Server = value.TrimEnd('/'); break;
                    case "--sensor": options.Sensor = value; break;
                    case "--period": options.PeriodMs = ParseDuration(value); break;
                    case "--devices": options.Devices = int.Parse(value, CultureInfo.InvariantCulture); break;
                    case "--batch": options.Batch = int.Parse(value, CultureInfo.InvariantCulture); break;
                    case "--key": options.Key = value; break;
                    case "--replay": options.Replay = value; break;
                    case "--duration": options.DurationMs = ParseDuration(value); break;
                    case "--mqtt": options.SetMqtt(value); break;
                    default: throw new ArgumentException("Unknown option " + name + ".");
                }
            }
            if (options.Devices < 1 || options.Devices > 1000)
            {
                throw new ArgumentException("--devices is between 1 and 1000.");
            }
            if (options.MqttBroker != null && options.Legacy)
            {
                throw new ArgumentException("--legacy sends the original GET, which has no MQTT form: leave it out with --mqtt.");
            }
            return options;
        }

        // mqtt://user:key@host:port: the credentials are taken out of the address (and unescaped), so they are never logged with it.
        private void SetMqtt(string value)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out Uri uri)
                || (uri.Scheme != "mqtt" && uri.Scheme != "mqtts" && uri.Scheme != "ws" && uri.Scheme != "wss"))
            {
                throw new ArgumentException("--mqtt takes mqtt://host:port (or mqtts://, ws://host/mqtt, wss://), optionally with user:key@ before the host.");
            }
            if (uri.UserInfo.Length > 0)
            {
                string[] parts = uri.UserInfo.Split(new[] { ':' }, 2);
                MqttUser = Uri.UnescapeDataString(parts[0]);
                if (parts.Length == 2)
                {
                    mqttUrlPassword = Uri.UnescapeDataString(parts[1]);
                }
            }
            MqttBroker = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
        }

        /// <summary>3s, 500ms, 2m, or plain milliseconds.</summary>
        public static int ParseDuration(string text)
        {
            if (text.EndsWith("ms", StringComparison.Ordinal))
            {
                return int.Parse(text.Substring(0, text.Length - 2), CultureInfo.InvariantCulture);
            }
            if (text.EndsWith("s", StringComparison.Ordinal))
            {
                return (int)(double.Parse(text.Substring(0, text.Length - 1), CultureInfo.InvariantCulture) * 1000);
            }
            if (text.EndsWith("m", StringComparison.Ordinal))
            {
                return (int)(double.Parse(text.Substring(0, text.Length - 1), CultureInfo.InvariantCulture) * 60000);
            }
            return int.Parse(text, CultureInfo.InvariantCulture);
        }
    }
}
