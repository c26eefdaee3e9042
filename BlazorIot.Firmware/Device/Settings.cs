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

        /// <summary>Failed sends in a row after which Wi-Fi is reconnected, and twice that many before the board restarts.</summary>
        public const int FailuresBeforeReconnect = 10;

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
