using System.Device.Wifi;
using System.Net.NetworkInformation;
using System.Threading;
using BlazorIot.Firmware.Core;
using nanoFramework.Networking;

namespace BlazorIot.Firmware.Device
{
    /// <summary>The station link to the access point: connect with a deadline, and reset it for real when sends keep failing.</summary>
    public sealed class WifiLink
    {
        private readonly string ssid;
        private readonly string password;
        private readonly int connectTimeoutMs;
        private readonly ILog log;

        public WifiLink(string ssid, string password, int connectTimeoutMs, ILog log)
        {
            this.ssid = ssid;
            this.password = password;
            this.connectTimeoutMs = connectTimeoutMs;
            this.log = log;
        }

        /// <summary>One attempt: an address by DHCP and, when asked, a clock set by SNTP, within the timeout.</summary>
        public bool Connect(bool requiresDateTime)
        {
            // The token source owns a timer: disposed after every attempt, not left to pile up.
            using (CancellationTokenSource timeout = new CancellationTokenSource(connectTimeoutMs))
            {
                bool connected = WifiNetworkHelper.ConnectDhcp(ssid, password, WifiReconnectionKind.Automatic, requiresDateTime, 0, timeout.Token);
                if (connected)
                {
                    log.Write("Wi-Fi connected to " + ssid + " as " + Address() + ", clock " + System.DateTime.UtcNow.ToString("o"));
                }
                else
                {
                    NetworkHelperStatus status = WifiNetworkHelper.Status;
                    string detail = status == NetworkHelperStatus.ExceptionOccurred && WifiNetworkHelper.HelperException != null
                        ? ": " + WifiNetworkHelper.HelperException.Message
                        : "";
                    log.Write("Wi-Fi connection to " + ssid + " failed: " + WifiStatusText.Of(status) + detail);
                }
                return connected;
            }
        }

        /// <summary>
        /// Drops the link, waits for its address to go, then connects anew. ConnectDhcp alone does
        /// nothing while the board still holds an address on the same SSID, so a stuck link would stay stuck.
        /// </summary>
        public bool Reset(int addressGoneTimeoutMs)
        {
            log.Write("Wi-Fi reset: disconnecting from " + ssid);
            WifiNetworkHelper.Disconnect();
            for (int waited = 0; HasAddress() && waited < addressGoneTimeoutMs; waited += 200)
            {
                Thread.Sleep(200);
            }
            if (HasAddress())
            {
                log.Write("Wi-Fi reset: the address " + Address() + " is still held after disconnecting");
            }
            return Connect(false);
        }

        private static bool HasAddress()
        {
            string address = Address();
            return address.Length > 0 && address[0] != '0';
        }

        private static string Address()
        {
            NetworkInterface[] interfaces = NetworkInterface.GetAllNetworkInterfaces();
            foreach (NetworkInterface network in interfaces)
            {
                if (network.NetworkInterfaceType == NetworkInterfaceType.Wireless80211)
                {
                    return network.IPv4Address;
                }
            }
            return "0.0.0.0";
        }
    }
}
