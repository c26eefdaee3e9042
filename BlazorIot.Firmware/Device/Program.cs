using System;
using System.Threading;
using BlazorIot.Firmware.Core;
using nanoFramework.Runtime.Native;

namespace BlazorIot.Firmware.Device
{
    /// <summary>
    /// The board's entry point: Wi-Fi with SNTP time first, then one worker loop for ever. When sends
    /// keep failing the Wi-Fi link is reset once, and if they still fail the board restarts; a
    /// watchdog restarts it too if the loop itself hangs.
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            DebugLog log = new DebugLog();
            BoardClock clock = new BoardClock();
            DeviceSettings settings = Settings.Device();
            log.Write("BlazorIot firmware: sensor " + settings.SensorId + " every " + settings.PeriodMs.ToString() + " ms to " + settings.ServerUrl + " (" + settings.Mode + ")");

            using (BoardWatchdog watchdog = new BoardWatchdog(clock, log, Settings.WatchdogTimeoutMs, Settings.WatchdogCheckMs))
            using (HttpTransport transport = new HttpTransport(Settings.HttpTimeoutMs))
            using (AdcLightSensor sensor = new AdcLightSensor(Settings.LightSensorAdcChannel, Settings.LightSensorFullScale))
            {
                WifiLink wifi = new WifiLink(Settings.WifiSsid, Settings.WifiPassword, Settings.WifiConnectTimeoutMs, log);
                // Readings carry the device's time, so the first one waits for an address and SNTP.
                while (!wifi.Connect(true))
                {
                    watchdog.Feed();
                    Thread.Sleep(Settings.WifiRetryMs);
                }

                DeviceLoop device = new DeviceLoop(settings, sensor, clock, transport, log, new Random());
                RecoveryPlan recovery = new RecoveryPlan(Settings.FailuresBeforeReconnect);
                while (true)
                {
                    watchdog.Feed();
                    long wait = device.Step();
                    switch (recovery.Next(device.ConsecutiveFailures))
                    {
                        case Recovery.ResetLink:
                            log.Write(device.ConsecutiveFailures.ToString() + " failed sends in a row: resetting Wi-Fi");
                            wifi.Reset(Settings.AddressGoneTimeoutMs);
                            watchdog.Feed();
                            break;
                        case Recovery.Restart:
                            log.Write(device.ConsecutiveFailures.ToString() + " failed sends in a row after a Wi-Fi reset: restarting the board (" + device.Buffer.Count.ToString() + " unsent readings are lost)");
                            Power.RebootDevice();
                            break;
                    }
                    Thread.Sleep((int)(wait > int.MaxValue ? int.MaxValue : wait));
                }
            }
        }
    }
}
