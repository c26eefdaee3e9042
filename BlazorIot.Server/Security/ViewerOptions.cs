namespace BlazorIot.Server.Security;

/// <summary>
/// Who may view the dashboard, the plain page, the streams and the read API. Off (anyone) unless
/// <c>Dashboard:Password</c> (one shared password) or <c>Dashboard:Users</c> (names with password
/// hashes from <c>BlazorIot.Server users hash</c>) is set.
/// </summary>
public sealed class ViewerOptions
{
    public const string Section = "Dashboard";

    public string? Password { get; set; }

    public List<ViewerUser> Users { get; set; } = [];

    public bool Enabled => !string.IsNullOrEmpty(Password) || Users.Count > 0;
}

public sealed class ViewerUser
{
    public string Name { get; set; } = "";

    public string PasswordHash { get; set; } = "";
}
