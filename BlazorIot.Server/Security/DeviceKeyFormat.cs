using System.Security.Cryptography;
using System.Text;

namespace BlazorIot.Server.Security;

/// <summary>
/// Keys look like <c>bik_1a2b3c4d_&lt;43 url-safe characters&gt;</c>: a public id to find the stored
/// hash, and 256 random bits. Only SHA-256(salt ‖ secret) is stored; with that much entropy a
/// fast hash is enough, and lookups by id keep verification to one hash per request.
/// </summary>
public static class DeviceKeyFormat
{
    private const string Prefix = "bik_";

    public static (string Id, string Secret, string Key) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (id, secret, $"{Prefix}{id}_{secret}");
    }

    public static bool TryParse(string? key, out string id, out string secret)
    {
        id = secret = "";
        if (key is null || !key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length != Prefix.Length + 8 + 1 + 43 || key[Prefix.Length + 8] != '_')
        {
            return false;
        }
        id = key.Substring(Prefix.Length, 8);
        secret = key[(Prefix.Length + 9)..];
        return true;
    }

    public static byte[] Hash(byte[] salt, string secret)
    {
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        var input = new byte[salt.Length + secretBytes.Length];
        salt.CopyTo(input, 0);
        secretBytes.CopyTo(input, salt.Length);
        return SHA256.HashData(input);
    }

    /// <summary>Constant-time: how long it takes says nothing about how much of the secret was right.</summary>
    public static bool Matches(DeviceKey stored, string secret) =>
        CryptographicOperations.FixedTimeEquals(stored.Hash, Hash(stored.Salt, secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
