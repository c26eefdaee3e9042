using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Security;

/// <summary>
/// What the sign-in cookie holds (the user's name, role, and whether they signed in with the shared
/// password or as a configured user), and its check on every request against the settings the server
/// runs with: a user given another role since signing in gets that role, and one no longer configured
/// (or the password gone) is signed out. A cookie outlives restarts, so without this a demoted admin
/// would stay an admin until the cookie expired.
/// </summary>
public static class ViewerSession
{
    private const string ByPassword = "password";
    private const string ByUser = "user";

    public static ClaimsPrincipal Principal(string name, string role, bool byPassword) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role), new Claim(ClaimTypes.AuthenticationMethod, byPassword ? ByPassword : ByUser)],
        CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>For <see cref="CookieAuthenticationEvents.OnValidatePrincipal"/>.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var user = context.Principal!;
        var name = user.Identity?.Name ?? "";
        var method = user.FindFirstValue(ClaimTypes.AuthenticationMethod);
        var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<ViewerOptions>>().Value;
        if (Now(options, name, method) is not { } now)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        if (!user.IsInRole(now.Role) || method is null)
        {
            context.ReplacePrincipal(Principal(name, now.Role, now.ByPassword));
            context.ShouldRenew = true;
        }
    }

    // A cookie from before roles were recorded has no method: it is a configured user's if the name is
    // one, else the shared password's.
    private static (string Role, bool ByPassword)? Now(ViewerOptions options, string name, string? method)
    {
        if (method != ByPassword && FindUser(options, name) is { } configured)
        {
            return (UserRoles.Parse(configured.Role) ?? UserRoles.Viewer, false);
        }
        return method != ByUser && !string.IsNullOrEmpty(options.Password) ? (UserRoles.Admin, true) : null;
    }

    private static ViewerUser? FindUser(ViewerOptions options, string name) =>
        options.Users.FirstOrDefault(user => string.Equals(user.Name, name, StringComparison.Ordinal));
}
