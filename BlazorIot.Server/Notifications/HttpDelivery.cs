using System.Net;
using System.Text;

namespace BlazorIot.Server.Notifications;

/// <summary>
/// Sends one request for an HTTP channel and says how it went, the same way for every kind:
/// 2xx is delivered; 408, 425, 429 and 5xx (and a connection that failed or timed out) are tried
/// again, after the receiver's <c>Retry-After</c> when it gave one; any other answer is refused for
/// good. At most <see cref="AnswerBytes"/> of the receiver's answer are read, whatever it sends.
/// </summary>
public sealed class HttpDelivery(IHttpClientFactory clients, TimeProvider time)
{
    /// <summary>How much of an answer is kept for the delivery log and the test button.</summary>
    public const int AnswerBytes = 1024;

    public async Task<DeliveryAttempt> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(NotificationHttp.ClientName);
        // The client's timeout ends with the headers (they are read first): this one covers the answer too,
        // so a receiver that sends headers and then stalls cannot hold a channel.
        using var whole = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        whole.CancelAfter(client.Timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, whole.Token);
            var status = (int)response.StatusCode;
            string? answer;
            try
            {
                answer = await ReadAnswerAsync(response, whole.Token);
            }
            catch (Exception exception) when (exception is IOException or HttpRequestException
                || exception is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The status is the receiver's verdict; an answer cut short does not change it.
                answer = null;
            }
            if (response.IsSuccessStatusCode)
            {
                return DeliveryAttempt.Success(status, answer);
            }
            var error = $"{status} {response.ReasonPhrase}".TrimEnd();
            return IsWorthRetrying(response.StatusCode)
                ? new DeliveryAttempt(false, status, answer, error, RetryAfter(response), Permanent: false)
                : new DeliveryAttempt(false, status, answer, error, null, Permanent: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryAttempt(false, null, null, $"No answer within {client.Timeout.TotalSeconds:0} s.", null, Permanent: false);
        }
        catch (HttpRequestException exception) when (exception.InnerException is OutboundAddressRefusedException refused)
        {
            // The address will not change its nature by waiting: refused for good.
            return new DeliveryAttempt(false, null, null, refused.Message, null, Permanent: true);
        }
        catch (HttpRequestException exception)
        {
            return new DeliveryAttempt(false, null, null, Describe(exception), null, Permanent: false);
        }
    }

    private static bool IsWorthRetrying(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status is 425 or >= 500;

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }
        if (retryAfter.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }
        if (retryAfter.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    private static async Task<string?> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[AnswerBytes];
        var read = 0;
        int last;
        while (read < buffer.Length && (last = await body.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += last;
        }
        if (read == 0)
        {
            return null;
        }
        // A cut may split a character: the decoder drops the broken end rather than failing.
        return Encoding.UTF8.GetString(buffer, 0, read).TrimEnd('\uFFFD');
    }

    private static string Describe(HttpRequestException exception) =>
        exception.InnerException is { } inner && !string.IsNullOrEmpty(inner.Message)
            ? $"{exception.Message} ({inner.Message})"
            : exception.Message;
}
