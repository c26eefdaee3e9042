using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using BlazorIot.Firmware.Core;

namespace BlazorIot.Firmware.Simulator
{
    /// <summary>Real HTTP, synchronous like the board's HttpClient, with a timeout, every response disposed.</summary>
    public sealed class HttpTransport : ITransport, IDisposable
    {
        private readonly HttpClient client;

        public HttpTransport(TimeSpan timeout)
        {
            client = new HttpClient { Timeout = timeout };
        }

        public int Get(string url)
        {
            return Send(new HttpRequestMessage(HttpMethod.Get, url));
        }

        public int PostJson(string url, string json, string apiKey)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            if (!string.IsNullOrEmpty(apiKey))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }
            return Send(request);
        }

        private int Send(HttpRequestMessage request)
        {
            using (request)
            {
                try
                {
                    using (HttpResponseMessage response = client.Send(request))
                    {
                        return (int)response.StatusCode;
                    }
                }
                catch (HttpRequestException)
                {
                    return TransportStatus.NetworkError;
                }
                catch (TaskCanceledException)
                {
                    return TransportStatus.NetworkError;
                }
            }
        }

        public void Dispose()
        {
            client.Dispose();
        }
    }
}
