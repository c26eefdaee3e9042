namespace BlazorIot.Server.Security;

/// <summary>Who may change sensors and their data: the write API and the dashboard's settings.</summary>
public static class AdminAccess
{
    /// <summary>The authorization policy of every route that changes or exports the store.</summary>
    public const string Policy = "admin";
}
