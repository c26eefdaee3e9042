using System.Security.Cryptography;
using System.Text;

namespace BlazorIot.Server.Notifications;

/// <summary>
/// How a webhook message is signed: <c>X-BlazorIot-Signature: sha256=</c> followed by the lowercase hex
/// HMAC-SHA256 of the exact body bytes, keyed with the channel secret's UTF-8 bytes. The body carries the
/// time it was sent, so the signature covers it too.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-BlazorIot-Signature";
    public const string Prefix = "sha256=";

    public static string Compute(string secret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    /// <summary>Whether <paramref name="signature"/> is the header value for <paramref name="body"/>, compared in constant time.</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? signature) =>
        signature is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(secret, body)), Encoding.ASCII.GetBytes(signature));
}
