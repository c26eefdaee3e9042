using BlazorIot.Firmware.Core;

namespace BlazorIot.Firmware.Device
{
    /// <summary>This board's settings: edit before building and flashing.</summary>
    public static class Settings
    {
        public const string WifiSsid = "IoT";
        public const string WifiPassword = "12344321";

        /// <summary>ADC1 channel 6 is GPIO34 on the ESP32.</summary>
        public const int LightSensorAdcChannel = 6;

        /// <summary>The sensor's ratio 0..1 becomes 0..this luminosity value.</summary>
        public const double LightSensorFullScale = 1000;

        /// <summary>Failed sends in a row after which the Wi-Fi link is reset, and twice that many before the board restarts.</summary>
        public const int FailuresBeforeReconnect = 10;

        /// <summary>One HTTP request's limit (a DNS lookup may take up to 15 s more).</summary>
        public const int HttpTimeoutMs = 10000;

        /// <summary>One Wi-Fi attempt's limit: an address, and at start-up the SNTP clock too.</summary>
        public const int WifiConnectTimeoutMs = 60000;

        /// <summary>Pause between two failed Wi-Fi attempts at start-up.</summary>
        public const int WifiRetryMs = 5000;

        /// <summary>How long a reset waits for the old address to go before connecting anew.</summary>
        public const int AddressGoneTimeoutMs = 10000;

        /// <summary>The board restarts when the main loop has not come back for this long (longer than any one wait it makes).</summary>
        public const int WatchdogTimeoutMs = 180000;

        public const int WatchdogCheckMs = 10000;

        public static DeviceSettings Device()
        {
            DeviceSettings settings = new DeviceSettings();
            settings.ServerUrl = "http://192.168.1.10:8080";
            settings.SensorId = "luminosity";
            settings.PeriodMs = 3000;
            settings.ApiKey = "";
            settings.BatchSize = 20;
            settings.BufferCapacity = 500;
            settings.Mode = DeviceSettings.JsonMode;
            return settings;
        }
    }
}
