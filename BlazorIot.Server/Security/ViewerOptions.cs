namespace BlazorIot.Server.Security;

/// <summary>
/// Who may view the dashboard, the plain page, the streams and the read API. Off (anyone) unless
/// <c>Dashboard:Password</c> (one shared password, an admin's) or <c>Dashboard:Users</c> (names with
/// password hashes from <c>BlazorIot.Server users hash</c>, and roles) is set.
/// </summary>
public sealed class ViewerOptions
{
    public const string Section = "Dashboard";

    public string? Password { get; set; }

    public List<ViewerUser> Users { get; set; } = [];

    /// <summary>Sign-in attempts one client address may make in a minute.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000)]
    public int SignInAttemptsPerMinute { get; set; } = 10;

    public bool Enabled => !string.IsNullOrEmpty(Password) || Users.Count > 0;
}

public sealed class ViewerUser
{
    public string Name { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    /// <summary><c>viewer</c> (when absent or empty) or <c>admin</c> (<see cref="UserRoles"/>); checked at start-up.</summary>
    public string? Role { get; set; }
}
