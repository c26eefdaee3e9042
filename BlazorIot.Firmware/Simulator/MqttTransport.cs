using System;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using BlazorIot.Firmware.Core;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace BlazorIot.Firmware.Simulator
{
    /// <summary>
    /// MQTT in place of HTTP under the same Core. Core hands over the batch it built for
    /// POST /api/readings; each reading of it is published on its sensor's topic
    /// (<c>blazoriot/sensors/{sensor}/readings</c>) as <c>{"value":…,"ts":…,"id":…}</c> at QoS 1,
    /// in order, one PUBACK awaited before the next. The batch counts as sent (200) only when every
    /// reading was acknowledged, which on BlazorIot means committed; anything else leaves the whole
    /// batch in Core's outage buffer, and the readings already stored are stored once however often
    /// they are sent again, because the server keeps one reading per (sensor, id).
    /// </summary>
    /// <remarks>
    /// Synchronous like <see cref="HttpTransport"/> (Core's loop is), one connection per simulated
    /// device, connected lazily on the first send and again after any failure. MQTT 5 is spoken so
    /// that a refused reading comes back with a reason code instead of a silent PUBACK.
    /// </remarks>
    public sealed class MqttTransport : ITransport, IDisposable
    {
        /// <summary>The status Core takes for "the server refused these readings as invalid": it drops them.</summary>
        public const int Refused = 422;

        /// <summary>The status for a key the broker refused: Core keeps the readings and backs off, as for HTTP's 401 and 403.</summary>
        public const int NotAuthorized = 401;

        /// <summary>Any other failure the broker reported: kept and retried.</summary>
        public const int ServerError = 503;

        private readonly IMqttClient client;
        private readonly MqttClientOptions options;
        private readonly TimeSpan timeout;

        /// <param name="broker">mqtt://, mqtts://, ws:// or wss://, without credentials.</param>
        /// <param name="userName">Any name (BlazorIot ignores it; MQTT 3.1.1 brokers want one with a password).</param>
        /// <param name="password">The device key, or empty for none.</param>
        public MqttTransport(Uri broker, string userName, string password, string clientId, TimeSpan timeout)
        {
            this.timeout = timeout;
            var builder = new MqttClientOptionsBuilder()
                .WithConnectionUri(broker)
                .WithClientId(clientId)
                .WithCleanSession(true)
                .WithTimeout(timeout);
            if (!string.IsNullOrEmpty(password))
            {
                builder = builder.WithCredentials(string.IsNullOrEmpty(userName) ? clientId : userName, password);
            }
            options = builder.Build();
            client = new MqttClientFactory().CreateMqttClient();
        }

        /// <summary>The topic a sensor's readings are published on.</summary>
        public static string TopicFor(string sensor)
        {
            return "blazoriot/sensors/" + sensor + "/readings";
        }

        public int Get(string url)
        {
            throw new NotSupportedException("The legacy GET has no MQTT form; the Simulator refuses --legacy with --mqtt.");
        }

        /// <summary>Publishes every reading of <paramref name="json"/> (Core's batch); <paramref name="url"/> and <paramref name="apiKey"/> are HTTP's and unused (the key is the connection's password).</summary>
        public int PostJson(string url, string json, string apiKey)
        {
            using (var deadline = new CancellationTokenSource(timeout))
            using (JsonDocument batch = JsonDocument.Parse(json))
            {
                try
                {
                    if (!client.IsConnected)
                    {
                        MqttClientConnectResult connected = client.ConnectAsync(options, deadline.Token).GetAwaiter().GetResult();
                        if (connected.ResultCode != MqttClientConnectResultCode.Success)
                        {
                            return connected.ResultCode == MqttClientConnectResultCode.BadUserNameOrPassword || connected.ResultCode == MqttClientConnectResultCode.NotAuthorized
                                ? NotAuthorized
                                : ServerError;
                        }
                    }
                    bool anyRefused = false;
                    foreach (JsonElement reading in batch.RootElement.EnumerateArray())
                    {
                        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
                            .WithTopic(TopicFor(reading.GetProperty("sensor").GetString()))
                            .WithPayload(PayloadOf(reading))
                            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                            .Build();
                        MqttClientPublishResult result = client.PublishAsync(message, deadline.Token).GetAwaiter().GetResult();
                        if (result.IsSuccess)
                        {
                            continue;
                        }
                        if (result.ReasonCode == MqttClientPublishReasonCode.PayloadFormatInvalid || result.ReasonCode == MqttClientPublishReasonCode.TopicNameInvalid)
                        {
                            // Sending it again cannot succeed; the rest of the batch still goes.
                            anyRefused = true;
                            continue;
                        }
                        return result.ReasonCode == MqttClientPublishReasonCode.NotAuthorized ? NotAuthorized : ServerError;
                    }
                    return anyRefused ? Refused : 200;
                }
                catch (MqttCommunicationException)
                {
                    Reset();
                    return TransportStatus.NetworkError;
                }
                catch (OperationCanceledException)
                {
                    // No PUBACK in time: the connection's state is unknown, so the next send starts a new one.
                    Reset();
                    return TransportStatus.NetworkError;
                }
            }
        }

        // One JSON reading as the sensor topic takes it; the value's digits are Core's, copied as they are.
        private static string PayloadOf(JsonElement reading)
        {
            return "{\"value\":" + reading.GetProperty("value").GetRawText()
                + ",\"ts\":" + reading.GetProperty("timestamp").GetInt64().ToString(CultureInfo.InvariantCulture)
                + ",\"id\":" + reading.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture) + "}";
        }

        private void Reset()
        {
            if (client.IsConnected)
            {
                client.TryDisconnectAsync().GetAwaiter().GetResult();
            }
        }

        public void Dispose()
        {
            Reset();
            client.Dispose();
        }
    }
}
