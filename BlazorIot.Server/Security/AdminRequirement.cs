using Microsoft.AspNetCore.Authorization;

namespace BlazorIot.Server.Security;

/// <summary>The requirement of <see cref="AdminAccess.Policy"/>: the caller may change sensors (<see cref="AdminAccess.CanManage"/>).</summary>
public sealed class AdminRequirement : IAuthorizationRequirement;
