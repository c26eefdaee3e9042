using System.Security.Claims;
using System.Text.Encodings.Web;
using BlazorIot.Server.ErrorPages;
using BlazorIot.Server.Ingest;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Security;

/// <summary>
/// The authentication scheme of <see cref="AdminAccess.Policy"/>. A request that presents a device key
/// (in any of the forms ingest takes) is that key, checked against <see cref="IngestGate"/>'s cached keys;
/// any other request is the signed-in user, when sign-in is configured. Its challenge (401) and forbid (403)
/// answer API routes with problem details that say what would pass.
/// </summary>
public sealed class AdminAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IngestGate gate, AdminAccess access)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string KeyForms = "'Authorization: Bearer KEY', 'X-Api-Key: KEY' or '?key=KEY'";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (AdminAccess.PresentedKey(Request) is { } presented)
        {
            return await gate.FindActiveAsync(presented, Context.RequestAborted) is { } key
                ? AuthenticateResult.Success(new AuthenticationTicket(KeyPrincipal(key), Scheme.Name))
                : AuthenticateResult.Fail("The device key is unknown, revoked or malformed.");
        }
        if (!access.SignInConfigured)
        {
            return AuthenticateResult.NoResult();
        }
        var signedIn = await Context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return signedIn.Succeeded
            ? AuthenticateResult.Success(new AuthenticationTicket(signedIn.Principal, signedIn.Properties, Scheme.Name))
            : AuthenticateResult.NoResult();
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (AdminAccess.PresentedKey(Request) is not null)
        {
            await IngestGate.Refused(KeyCheck.Invalid).ExecuteAsync(Context);
            return;
        }
        if (!ErrorPagesExtensions.IsMachineRoute(Context) && access.SignInConfigured)
        {
            await Context.ChallengeAsync(CookieAuthenticationDefaults.AuthenticationScheme, properties);
            return;
        }
        var problem = access.SignInConfigured
            ? ApiProblems.Problem(StatusCodes.Status401Unauthorized, "Sign in as an admin, or send an admin device key.",
                $"Changing sensors needs a user whose role is admin (Dashboard:Users:N:Role), signed in at /login, or an admin device key sent as {KeyForms}.")
            : ApiProblems.Problem(StatusCodes.Status401Unauthorized, "An admin device key is required.",
                $"An admin key exists, so changing sensors needs one: send it as {KeyForms}. Create one with: BlazorIot.Server keys add NAME --admin");
        await problem.ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (!ErrorPagesExtensions.IsMachineRoute(Context))
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        var user = (await HandleAuthenticateOnceSafeAsync()).Principal ?? Context.User;
        await Refusal(user).ExecuteAsync(Context);
    }

    private static ProblemHttpResult Refusal(ClaimsPrincipal user) => AdminAccess.IsDeviceKey(user)
        ? ApiProblems.Problem(StatusCodes.Status403Forbidden, "This key may send readings but not manage sensors.",
            $"'{user.Identity?.Name}' is an ingest key. Managing sensors needs an admin key: BlazorIot.Server keys add NAME --admin")
        : ApiProblems.Problem(StatusCodes.Status403Forbidden, "Only an admin may do this.",
            $"'{user.Identity?.Name}' is signed in as a viewer; changing sensors needs a user whose role is admin (Dashboard:Users:N:Role).");

    private static ClaimsPrincipal KeyPrincipal(DeviceKey key)
    {
        List<Claim> claims = [new(ClaimTypes.Name, key.Name), new(ClaimTypes.NameIdentifier, key.Id)];
        if (key.Admin)
        {
            claims.Add(new Claim(ClaimTypes.Role, UserRoles.Admin));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AdminAccess.DeviceKeyIdentity));
    }
}
