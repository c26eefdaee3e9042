namespace BlazorIot.Firmware.Core
{
    /// <summary>
    /// One synchronous HTTP exchange. Returns the status code, or <see cref="TransportStatus.NetworkError"/> when no
    /// answer came (no Wi-Fi, connection refused, timeout). Implementations dispose every response.
    /// </summary>
    public interface ITransport
    {
        int Get(string url);

        int PostJson(string url, string json, string apiKey);
    }

    public static class TransportStatus
    {
        public const int NetworkError = -1;
    }
}
