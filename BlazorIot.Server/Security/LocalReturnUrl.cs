namespace BlazorIot.Server.Security;

/// <summary>
/// Where sign-in may send the browser back to: a path on this server. "//host" and "/\host" are
/// read by browsers as another host, so they, absolute URLs and control characters fall back to the home page.
/// </summary>
public static class LocalReturnUrl
{
    public static string Or(string? returnUrl, string fallback = "/")
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl[0] != '/' || returnUrl.Any(char.IsControl))
        {
            return fallback;
        }
        return returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\') ? returnUrl : fallback;
    }
}
