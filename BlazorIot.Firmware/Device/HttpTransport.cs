using System;
using System.Net.Http;
using System.Text;
using BlazorIot.Firmware.Core;

namespace BlazorIot.Firmware.Device
{
    /// <summary>One synchronous HttpClient for the device's life, its timeout set at once, every response disposed.</summary>
    public sealed class HttpTransport : ITransport
    {
        private readonly HttpClient client;

        public HttpTransport(int timeoutMs)
        {
            client = new HttpClient();
            client.Timeout = TimeSpan.FromMilliseconds(timeoutMs);
        }

        public int Get(string url)
        {
            try
            {
                using (HttpResponseMessage response = client.Get(url))
                {
                    return (int)response.StatusCode;
                }
            }
            catch (Exception)
            {
                return TransportStatus.NetworkError;
            }
        }

        public int PostJson(string url, string json, string apiKey)
        {
            try
            {
                using (StringContent content = new StringContent(json, Encoding.UTF8, "application/json"))
                {
                    client.DefaultRequestHeaders.Remove("Authorization");
                    if (apiKey != null && apiKey.Length > 0)
                    {
                        client.DefaultRequestHeaders.Add("Authorization", "Bearer " + apiKey);
                    }
                    using (HttpResponseMessage response = client.Post(url, content))
                    {
                        return (int)response.StatusCode;
                    }
                }
            }
            catch (Exception)
            {
                return TransportStatus.NetworkError;
            }
        }
    }
}
