using System.Security.Cryptography;

namespace BlazorIot.Server.Scaling;

/// <summary>
/// Gives each browser a random <c>blazoriot_route</c> cookie that a proxy in front of several
/// instances hashes on (nginx: <c>hash $cookie_blazoriot_route consistent</c>), so a Blazor
/// circuit's negotiate and WebSocket requests reach the same instance. Hashing the client address
/// instead sends everyone behind one NAT (or every test client on one machine) to one instance.
/// The value carries nothing but randomness.
/// </summary>
public sealed class RouteCookieMiddleware(RequestDelegate next)
{
    public const string CookieName = "blazoriot_route";

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Cookies.ContainsKey(CookieName))
        {
            context.Response.Cookies.Append(CookieName, Convert.ToHexString(RandomNumberGenerator.GetBytes(8)), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                Path = "/",
                IsEssential = true,
            });
        }
        return next(context);
    }
}
