using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Security;

/// <summary>
/// Refuses a start where a user's role is neither viewer nor admin: a misspelt <c>admin</c> would
/// otherwise quietly make someone a viewer, or a misspelt <c>viewer</c> leave the role unclear.
/// </summary>
public sealed class UserRoleCheck : IValidateOptions<ViewerOptions>
{
    public ValidateOptionsResult Validate(string? name, ViewerOptions options)
    {
        var problems = options.Users
            .Select((user, index) => (user.Role, Index: index))
            .Where(each => UserRoles.Parse(each.Role) is null)
            .Select(each => $"{ViewerOptions.Section}:{nameof(ViewerOptions.Users)}:{each.Index}:{nameof(ViewerUser.Role)} is \"{each.Role}\"; allowed: {UserRoles.Viewer} or {UserRoles.Admin}.")
            .ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
