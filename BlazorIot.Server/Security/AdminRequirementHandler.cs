using Microsoft.AspNetCore.Authorization;

namespace BlazorIot.Server.Security;

/// <summary>Decides <see cref="AdminRequirement"/> with <see cref="AdminAccess.CanManage"/>.</summary>
public sealed class AdminRequirementHandler(AdminAccess access) : AuthorizationHandler<AdminRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminRequirement requirement)
    {
        // A request that presents a key is judged by the key alone: one that did not authenticate is
        // refused even while the write API is open, so a mistyped or revoked key is noticed.
        var presentsKey = context.Resource is HttpContext http && AdminAccess.PresentedKey(http.Request) is not null;
        if (access.CanManage(context.User) && (!presentsKey || AdminAccess.IsDeviceKey(context.User)))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
