namespace BlazorIot.Server.Security;

/// <summary>
/// The roles a signed-in user has (<c>Dashboard:Users:N:Role</c>), carried by the sign-in cookie as a
/// <see cref="System.Security.Claims.ClaimTypes.Role"/> claim. A viewer reads; an admin also changes sensors.
/// </summary>
public static class UserRoles
{
    public const string Viewer = "viewer";

    public const string Admin = "admin";

    /// <summary>The role a configured value names, spelled as above; null when it names none. Absent or empty is viewer.</summary>
    public static string? Parse(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? Viewer
        : string.Equals(configured.Trim(), Admin, StringComparison.OrdinalIgnoreCase) ? Admin
        : string.Equals(configured.Trim(), Viewer, StringComparison.OrdinalIgnoreCase) ? Viewer
        : null;
}
