namespace BlazorIot.Server.ErrorPages;

/// <summary>
/// Errors answer in the caller's language: machine routes (the API, the device's and the stream's
/// legacy routes) get RFC 7807 problem details; pages get the Blazor error and not-found pages.
/// </summary>
public static class ErrorPagesExtensions
{
    public static IServiceCollection AddErrorPages(this IServiceCollection services) => services.AddProblemDetails();

    public static WebApplication UseErrorPages(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseWhen(IsMachineRoute, api => api.UseExceptionHandler());
            app.UseWhen(context => !IsMachineRoute(context), pages => pages.UseExceptionHandler("/Error", createScopeForErrors: true));
        }
        app.UseWhen(IsMachineRoute, api => api.UseStatusCodePages());
        app.UseWhen(context => !IsMachineRoute(context), pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        return app;
    }

    public static bool IsMachineRoute(HttpContext context)
    {
        var path = context.Request.Path;
        return path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi")
            || path.StartsWithSegments("/luminosity") || path.StartsWithSegments("/connexion");
    }
}
