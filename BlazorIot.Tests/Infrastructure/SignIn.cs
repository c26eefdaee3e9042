using System.Net;
using System.Text.RegularExpressions;

namespace BlazorIot.Tests.Infrastructure;

/// <summary>Signing in through the <c>/login</c> form, antiforgery token and all, as a browser does.</summary>
public static partial class SignIn
{
    /// <summary>Posts the form; the answer is the redirect (to <paramref name="returnUrl"/>, or back to the form when refused).</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string name, string password, string returnUrl = "/api/sensors")
    {
        var form = await client.GetStringAsync("/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var token = TokenField().Match(form);
        return await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups[1].Value] = token.Groups[2].Value,
            ["name"] = name,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
        }));
    }

    /// <summary>A client that keeps cookies (in <paramref name="cookies"/>, to share them with another client) and does not follow redirects.</summary>
    public static HttpClient Client(Uri server, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies ?? new CookieContainer() })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>A client signed in as <paramref name="name"/>; fails the test when the sign-in is refused.</summary>
    public static async Task<HttpClient> AsAsync(Uri server, string name, string password, CookieContainer? cookies = null)
    {
        var client = Client(server, cookies);
        using var response = await PostAsync(client, name, password);
        Assert.Equal("/api/sensors", response.Headers.Location?.OriginalString);
        return client;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex TokenField();
}
