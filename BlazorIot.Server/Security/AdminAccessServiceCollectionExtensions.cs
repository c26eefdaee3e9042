using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace BlazorIot.Server.Security;

public static class AdminAccessServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="AdminAccess.Policy"/> for the write API, and <see cref="AdminAccess"/> for components.
    /// After <see cref="SecurityServiceCollectionExtensions.AddDeviceKeys"/> and <see cref="ViewerSignIn.AddViewerSignIn"/>, whose keys and sign-in it judges.
    /// </summary>
    public static IServiceCollection AddAdminAccess(this IServiceCollection services)
    {
        services.AddSingleton<AdminAccess>();
        services.AddSingleton<IAuthorizationHandler, AdminRequirementHandler>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, AdminAuthenticationHandler>(AdminAccess.Scheme, displayName: null, _ => { });
        services.AddAuthorizationBuilder().AddPolicy(AdminAccess.Policy, policy => policy
            .AddAuthenticationSchemes(AdminAccess.Scheme)
            .AddRequirements(new AdminRequirement()));
        return services;
    }
}
