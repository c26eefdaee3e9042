using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace BlazorIot.Server.Hosting;

/// <summary>
/// Response heads written by the connection handlers below the HTTP layer: their own status and
/// fields, then the headers every response of ours carries (<see cref="Security.SecurityHeaders"/>)
/// and the date.
/// </summary>
internal static class DirectResponseHead
{
    /// <summary>The head up to its <c>Date</c> value, encoded once.</summary>
    public static byte[] Encode(string statusLineAndFields) => Encoding.ASCII.GetBytes(
        statusLineAndFields +
        "X-Content-Type-Options: nosniff\r\n" +
        "X-Frame-Options: DENY\r\n" +
        "Referrer-Policy: no-referrer\r\n" +
        "Content-Security-Policy: " + Security.SecurityHeaders.Policy + "\r\n" +
        "Date: ");

    public static void Write(PipeWriter output, byte[] head, TimeProvider time)
    {
        output.Write(head);
        var date = output.GetSpan(32);
        time.GetUtcNow().TryFormat(date, out var written, "r", CultureInfo.InvariantCulture);
        output.Advance(written);
        output.Write("\r\n\r\n"u8);
    }
}
