using System;
using System.Net.Http;
using System.Text;
using BlazorIot.Firmware.Core;

namespace BlazorIot.Firmware.Device
{
    /// <summary>
    /// One synchronous HttpClient for the device's life, its timeout set before the first request
    /// (nanoFramework's HttpClient refuses changes after). Each request is its own
    /// HttpRequestMessage, so the key header is set once per request and never accumulates on the
    /// client's default headers; request, content and response are all disposed.
    /// </summary>
    public sealed class HttpTransport : ITransport, IDisposable
    {
        private readonly HttpClient client;

        public HttpTransport(int timeoutMs)
        {
            client = new HttpClient();
            client.Timeout = TimeSpan.FromMilliseconds(timeoutMs);
        }

        public int Get(string url)
        {
            using (HttpRequestMessage request = new HttpRequestMessage(HttpMethod.Get, url))
            {
                return Send(request);
            }
        }

        public int PostJson(string url, string json, string apiKey)
        {
            using (HttpRequestMessage request = new HttpRequestMessage(HttpMethod.Post, url))
            using (StringContent content = new StringContent(json, Encoding.UTF8, "application/json"))
            {
                request.Content = content;
                if (apiKey != null && apiKey.Length > 0)
                {
                    request.Headers.Add("Authorization", "Bearer " + apiKey);
                }
                return Send(request);
            }
        }

        public void Dispose()
        {
            client.Dispose();
        }

        private int Send(HttpRequestMessage request)
        {
            try
            {
                using (HttpResponseMessage response = client.Send(request))
                {
                    return (int)response.StatusCode;
                }
            }
            catch (Exception)
            {
                // No Wi-Fi, DNS failure, refused connection or timeout: the loop backs off and retries.
                return TransportStatus.NetworkError;
            }
        }
    }
}
