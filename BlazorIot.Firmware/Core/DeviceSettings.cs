namespace BlazorIot.Firmware.Core
{
    /// <summary>What a device is told: where to send, as which sensor, how often, and how.</summary>
    public sealed class DeviceSettings
    {
        public const string JsonMode = "json";
        public const string LegacyMode = "legacy";

        /// <summary>The server's base address, without a trailing slash: http://192.168.1.10:8080.</summary>
        public string ServerUrl { get; set; } = "http://192.168.1.10:8080";

        public string SensorId { get; set; } = "luminosity";

        public int PeriodMs { get; set; } = 3000;

        /// <summary>Sent as a bearer token (JSON mode) or ?key= (legacy mode) when not empty.</summary>
        public string ApiKey { get; set; } = "";

        /// <summary>Readings per POST in JSON mode.</summary>
        public int BatchSize { get; set; } = 20;

        /// <summary>Unsent readings kept while the server is unreachable; the oldest go first when full.</summary>
        public int BufferCapacity { get; set; } = 500;

        /// <summary><see cref="JsonMode"/> (POST /api/readings) or <see cref="LegacyMode"/> (GET /luminosity/&lt;int&gt;, as the original lab device).</summary>
        public string Mode { get; set; } = JsonMode;

        public int BackoffInitialMs { get; set; } = 1000;

        public int BackoffMaxMs { get; set; } = 60000;

        /// <summary>Returns null when the settings can run, else what is wrong.</summary>
        public string Validate()
        {
            if (ServerUrl == null || !(ServerUrl.StartsWith("http://") || ServerUrl.StartsWith("https://")) || ServerUrl.EndsWith("/"))
            {
                return "ServerUrl must start with http:// or https:// and have no trailing slash.";
            }
            if (!IsValidSensorId(SensorId))
            {
                return "SensorId must be 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit.";
            }
            if (PeriodMs < 100)
            {
                return "PeriodMs must be at least 100.";
            }
            if (BatchSize < 1 || BatchSize > 1000)
            {
                return "BatchSize must be between 1 and 1000 (the server's batch cap).";
            }
            if (BufferCapacity < 1)
            {
                return "BufferCapacity must be at least 1.";
            }
            if (Mode != JsonMode && Mode != LegacyMode)
            {
                return "Mode must be json or legacy.";
            }
            if (BackoffInitialMs < 1 || BackoffMaxMs < BackoffInitialMs)
            {
                return "BackoffInitialMs must be at least 1 and at most BackoffMaxMs.";
            }
            return null;
        }

        // The server's rule, ^[a-z0-9][a-z0-9._-]{0,63}$, without Regex (not on every board).
        public static bool IsValidSensorId(string id)
        {
            if (id == null || id.Length < 1 || id.Length > 64)
            {
                return false;
            }
            for (int i = 0; i < id.Length; i++)
            {
                char c = id[i];
                bool alphanumeric = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                if (!alphanumeric && (i == 0 || (c != '.' && c != '_' && c != '-')))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
