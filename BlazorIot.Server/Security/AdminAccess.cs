using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Security;

/// <summary>
/// Who may change sensors and their data: the write API and the dashboard's settings. One rule for both:
/// <list type="bullet">
/// <item>a request that presents a device key is judged by the key alone: an active admin key may, an
/// ingest key may not (403), an unknown, revoked or malformed key is refused (401);</item>
/// <item>otherwise a signed-in user whose role is <see cref="UserRoles.Admin"/> may, a viewer may not (403);</item>
/// <item>anyone else may only while the write API is open (<see cref="IsOpen"/>): no sign-in is configured and no
/// admin key was ever created. A fresh install is open, as the original lab was; configuring sign-in or creating
/// the first admin key closes it (a running server sees a new key within 5 seconds).</item>
/// </list>
/// </summary>
/// <remarks>
/// <para>Routes: <c>.RequireAuthorization(AdminAccess.Policy)</c>; the answers are problem details.</para>
/// <para>Components: inject this (a singleton) and ask with the circuit's user, taken from the cascading
/// <c>Task&lt;AuthenticationState&gt;</c> (there is one on every dashboard page; treat a missing one as anonymous):</para>
/// <code>
/// [CascadingParameter] private Task&lt;AuthenticationState&gt;? Authentication { get; set; }
/// [Inject] private AdminAccess Access { get; set; } = default!;
///
/// var user = Authentication is null ? new ClaimsPrincipal() : (await Authentication).User;
/// canManage = Access.CanManage(user);   // false: show the values read-only, no editing controls
/// </code>
/// <para>Ask again when the user acts (the answer can change while a page is open: an admin key created
/// meanwhile closes an open server), and before a destructive action ask the user to type the sensor id
/// when <see cref="ConfirmByTyping"/> is true.</para>
/// </remarks>
public sealed class AdminAccess(IngestGate gate, IOptions<ViewerOptions> viewers)
{
    /// <summary>The authorization policy of every route that changes or exports the store.</summary>
    public const string Policy = "admin";

    /// <summary>The authentication scheme of that policy: a device key when one is presented, else the sign-in cookie.</summary>
    public const string Scheme = "admin-access";

    /// <summary>The authentication type of the identity a device key stands for.</summary>
    public const string DeviceKeyIdentity = "device-key";

    /// <summary>True when viewers must sign in (<c>Dashboard:Password</c> or <c>Dashboard:Users</c>).</summary>
    public bool SignInConfigured => viewers.Value.Enabled;

    /// <summary>True while anyone may change sensors: no sign-in configured and no admin key ever created.</summary>
    public bool IsOpen => !SignInConfigured && !gate.AdminKeyEverCreated;

    /// <summary>
    /// True when no sign-in is configured: nobody who changes things is known by name, so a destructive
    /// dashboard action (deleting a sensor, say) must ask the user to type the sensor's id before it runs.
    /// </summary>
    public bool ConfirmByTyping => !SignInConfigured;

    /// <summary>Whether <paramref name="user"/> (a dashboard circuit's user, or a request's) may change sensors.</summary>
    public bool CanManage(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (IsDeviceKey(user))
        {
            return user.IsInRole(UserRoles.Admin);
        }
        // Without sign-in a cookie left from when it was on names nobody this server knows: it counts for nothing.
        return SignInConfigured
            ? user.Identity?.IsAuthenticated == true && user.IsInRole(UserRoles.Admin)
            : IsOpen;
    }

    /// <summary>The device key a request presents, in any of the forms ingest takes; null when it presents none.</summary>
    public static string? PresentedKey(HttpRequest request) => IngestGate.PresentedKey(request) is { Length: > 0 } key ? key : null;

    /// <summary>Whether <paramref name="user"/> is a device key (an admin or an ingest key) rather than a person.</summary>
    public static bool IsDeviceKey(ClaimsPrincipal user) =>
        user.Identities.Any(identity => identity.IsAuthenticated && identity.AuthenticationType == DeviceKeyIdentity);
}
