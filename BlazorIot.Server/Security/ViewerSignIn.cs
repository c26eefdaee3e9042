using System.Net;
using System.Security.Cryptography;
using System.Text;
using BlazorIot.Server.Hosting;
using BlazorIot.Server.Ingest;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Security;

/// <summary>
/// Cookie sign-in for viewers, when <see cref="ViewerOptions"/> enables it. Pages redirect to
/// <c>/login</c>; streams and the read API answer 401 with problem details. Ingest routes are
/// not covered: devices use keys. The cookie carries the user's role (<see cref="UserRoles"/>),
/// which <see cref="AdminAccess"/> reads for the write API and the dashboard's settings.
/// </summary>
public static class ViewerSignIn
{
    public const string Policy = "viewer";

    private static readonly PasswordHasher<string> Hasher = new();

    // Read while services are registered, before the settings are checked: only the two settings
    // that enable sign-in, so a bad value elsewhere in the section is reported by the check, not thrown here.
    public static bool IsEnabled(IConfiguration configuration)
    {
        var section = configuration.GetSection(ViewerOptions.Section);
        return !string.IsNullOrEmpty(section[nameof(ViewerOptions.Password)]) || section.GetSection(nameof(ViewerOptions.Users)).GetChildren().Any();
    }

    public static IServiceCollection AddViewerSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSettings<ViewerOptions>(ViewerOptions.Section);
        services.AddSingleton<IValidateOptions<ViewerOptions>, UserRoleCheck>();
        services.AddRateLimiter(limiter => limiter.AddPolicy<string, SignInAttemptLimits>(SignInAttemptLimits.Policy));
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.LoginPath = "/login";
            cookie.Cookie.Name = "blazoriot.viewer";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.ExpireTimeSpan = TimeSpan.FromDays(14);
            cookie.SlidingExpiration = true;
            cookie.Events.OnValidatePrincipal = ViewerSession.ValidateAsync;
            cookie.Events.OnRedirectToLogin = context =>
            {
                if (ErrorPages.ErrorPagesExtensions.IsMachineRoute(context.HttpContext))
                {
                    return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "Sign in to read this.", "This server requires viewers to sign in at /login.")
                        .ExecuteAsync(context.HttpContext);
                }
                context.Response.Redirect(context.RedirectUri);
                return Task.CompletedTask;
            };
        });
        var enabled = IsEnabled(configuration);
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy =>
        {
            if (enabled)
            {
                policy.RequireAuthenticatedUser();
            }
            else
            {
                policy.RequireAssertion(_ => true);
            }
        });
        services.AddCascadingAuthenticationState();
        return services;
    }

    public static IEndpointRouteBuilder MapViewerSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/login", (HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? failed) =>
            Results.Content(LoginPage(antiforgery.GetAndStoreTokens(context), returnUrl, failed is not null), "text/html; charset=utf-8"))
            .ExcludeFromDescription();
        endpoints.MapPost("/login", SignInAsync).DisableAntiforgery().RequireRateLimiting(SignInAttemptLimits.Policy).ExcludeFromDescription();
        endpoints.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync();
            return Results.Redirect("/login");
        }).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>A hash for <c>Dashboard:Users:N:PasswordHash</c>.</summary>
    public static string Hash(string password) => Hasher.HashPassword("", password);

    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, IOptions<ViewerOptions> options)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.BadRequest();
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var name = form["name"].ToString();
        var password = form["password"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        if (Verify(options.Value, name, password) is not { } user)
        {
            return Results.Redirect($"/login?failed=1&returnUrl={Uri.EscapeDataString(returnUrl)}");
        }
        await context.SignInAsync(ViewerSession.Principal(user.Name, user.Role, user.ByPassword));
        return Results.LocalRedirect(LocalReturnUrl.Or(returnUrl));
    }

    // The shared password is the owner's: whoever has it is an admin.
    private static (string Name, string Role, bool ByPassword)? Verify(ViewerOptions options, string name, string password)
    {
        if (!string.IsNullOrEmpty(options.Password)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(options.Password)))
        {
            return (string.IsNullOrWhiteSpace(name) ? UserRoles.Admin : name, UserRoles.Admin, true);
        }
        var user = options.Users.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.Ordinal));
        return user is not null && Hasher.VerifyHashedPassword("", user.PasswordHash, password) != PasswordVerificationResult.Failed
            ? (user.Name, UserRoles.Parse(user.Role) ?? UserRoles.Viewer, false)
            : null;
    }

    private static string LoginPage(AntiforgeryTokenSet tokens, string? returnUrl, bool failed) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>Sign in — BlazorIot</title>
            <link rel="icon" type="image/svg+xml" href="/favicon.svg">
            <link rel="stylesheet" href="/css/app.css">
        </head>
        <body>
        <main>
            <h1>Sign in</h1>
            {(failed ? "<p class=\"field-error\" role=\"alert\">That name or password is not right.</p>" : "")}
            <form method="post" action="/login" class="threshold-editor">
                <input type="hidden" name="{WebUtility.HtmlEncode(tokens.FormFieldName)}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">
                <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl ?? "/")}">
                <label>Name <input name="name" autocomplete="username"></label>
                <label>Password <input name="password" type="password" autocomplete="current-password" required autofocus></label>
                <button type="submit">Sign in</button>
            </form>
        </main>
        </body>
        </html>
        """;
}
