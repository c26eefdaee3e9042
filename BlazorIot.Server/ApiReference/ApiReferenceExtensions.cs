using Scalar.AspNetCore;

namespace BlazorIot.Server.ApiReference;

/// <summary>The OpenAPI document (<c>/openapi/v1.json</c>) and an interactive reference page (<c>/scalar</c>) served from the server itself, so it works offline.</summary>
public static class ApiReferenceExtensions
{
    public static IServiceCollection AddApiReference(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "BlazorIot API";
            document.Info.Description = "Ingest sensor readings, read history and aggregates, and stream readings live. Errors are RFC 7807 problem details.";
            return Task.CompletedTask;
        }));

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi().RequireAuthorization(Security.ViewerSignIn.Policy);
        endpoints.MapScalarApiReference(options => options.WithTitle("BlazorIot API")).RequireAuthorization(Security.ViewerSignIn.Policy);
        return endpoints;
    }
}
