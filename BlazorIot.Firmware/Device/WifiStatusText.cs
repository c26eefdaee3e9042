using nanoFramework.Networking;

namespace BlazorIot.Firmware.Device
{
    /// <summary>Names for the network helper's states: nanoFramework's enum ToString() gives the number, not the name.</summary>
    public static class WifiStatusText
    {
        public static string Of(NetworkHelperStatus status)
        {
            switch (status)
            {
                case NetworkHelperStatus.None:
                    return "None";
                case NetworkHelperStatus.Started:
                    return "Started";
                case NetworkHelperStatus.NetworkIsReady:
                    return "NetworkIsReady";
                case NetworkHelperStatus.FailedNoNetworkInterface:
                    return "FailedNoNetworkInterface (no Wi-Fi interface on this board)";
                case NetworkHelperStatus.TokenExpiredWaitingIPAddress:
                    return "TokenExpiredWaitingIPAddress (no address from the access point in time: SSID, password, range?)";
                case NetworkHelperStatus.TokenExpiredWaitingDateTime:
                    return "TokenExpiredWaitingDateTime (connected, but SNTP did not set the clock in time)";
                case NetworkHelperStatus.ErrorConnetingToWiFiWhileScanning:
                    return "ErrorConnetingToWiFiWhileScanning";
                case NetworkHelperStatus.ExceptionOccurred:
                    return "ExceptionOccurred";
                case NetworkHelperStatus.Reconnecting:
                    return "Reconnecting";
                default:
                    return "status " + ((int)status).ToString();
            }
        }
    }
}
