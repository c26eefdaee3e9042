namespace BlazorIot.Server.Mqtt;

/// <summary>
/// Where the broker of broker mode is and who we are to it: <c>ConnectionStrings:Mqtt</c>, as
/// <c>mqtt://user:password@host:1883</c> (port 1883 when left out; user and password URL-encoded, optional).
/// </summary>
public sealed record BrokerAddress(string Host, int Port, string? UserName, string? Password)
{
    public const string ConnectionStringName = "Mqtt";

    public const int DefaultPort = 1883;

    /// <summary>The form the settings check shows when the value does not parse.</summary>
    public const string Form = "mqtt://user:password@host:1883";

    /// <summary>The address without its credentials, for logs and health descriptions.</summary>
    public override string ToString() => $"mqtt://{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}";

    public static bool TryParse(string? text, out BrokerAddress? address)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(text)
            || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme != "mqtt"
            || string.IsNullOrEmpty(uri.Host)
            || uri.AbsolutePath is not ("" or "/")
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0)
        {
            return false;
        }
        // Uri reports -1 for a scheme it has no default port for; 0 is no port to connect to.
        var port = uri.IsDefaultPort ? DefaultPort : uri.Port;
        if (port is < 1 or > 65535)
        {
            return false;
        }
        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        address = new BrokerAddress(uri.IdnHost.Trim('[', ']'), port, user, password);
        return true;
    }
}
