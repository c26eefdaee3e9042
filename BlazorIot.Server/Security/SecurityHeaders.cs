namespace BlazorIot.Server.Security;

/// <summary>
/// Headers on every response: no MIME sniffing, no referrer, no framing, and a Content Security
/// Policy that allows only this server's own scripts (none inline), styles, images and
/// connections (the SSE streams and the Blazor WebSocket). The bundled API reference page
/// (Scalar) needs inline scripts, so it alone gets a looser script policy.
/// </summary>
public static class SecurityHeaders
{
    internal const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/scalar") ? ApiReferencePolicy : Policy;
                return Task.CompletedTask;
            });
            return next(context);
        });
}
