using System;
using System.Diagnostics;
using System.Threading;
using BlazorIot.Firmware.Core;
using nanoFramework.Networking;
using nanoFramework.Runtime.Native;

namespace BlazorIot.Firmware.Device
{
    /// <summary>The board's entry point: Wi-Fi first (with a real clock), then one worker loop for ever.</summary>
    public static class Program
    {
        public static void Main()
        {
            DebugLog log = new DebugLog();
            ConnectWifi(log);

            BoardClock clock = new BoardClock();
            DeviceLoop device = new DeviceLoop(
                Settings.Device(),
                new AdcLightSensor(Settings.LightSensorAdcChannel, Settings.LightSensorFullScale),
                clock,
                new HttpTransport(10000),
                log,
                new Random());

            while (true)
            {
                long wait = device.Step();
                if (device.ConsecutiveFailures == Settings.FailuresBeforeReconnect)
                {
                    log.Write("too many failed sends: reconnecting Wi-Fi");
                    ConnectWifi(log);
                }
                else if (device.ConsecutiveFailures >= 2 * Settings.FailuresBeforeReconnect)
                {
                    log.Write("still failing: restarting the board (unsent readings are lost)");
                    Power.RebootDevice();
                }
                Thread.Sleep((int)(wait > int.MaxValue ? int.MaxValue : wait));
            }
        }

        // Waits for an address and for SNTP to set the clock (timestamps need it), retrying for ever.
        private static void ConnectWifi(DebugLog log)
        {
            for (int attempt = 1; ; attempt++)
            {
                CancellationTokenSource timeout = new CancellationTokenSource(60000);
                bool connected = WifiNetworkHelper.ConnectDhcp(Settings.WifiSsid, Settings.WifiPassword, requiresDateTime: true, token: timeout.Token);
                if (connected)
                {
                    log.Write("Wi-Fi connected, clock set to " + DateTime.UtcNow.ToString("o"));
                    return;
                }
                log.Write("Wi-Fi attempt " + attempt.ToString() + " failed: " + WifiNetworkHelper.Status.ToString());
                Thread.Sleep(5000);
            }
        }
    }
}
