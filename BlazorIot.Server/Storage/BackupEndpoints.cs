using System.Globalization;
using BlazorIot.Server.Ingest;
using BlazorIot.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Storage;

/// <summary><c>GET /api/backup</c>: the SQLite store as one consistent file, for admins, while ingest goes on.</summary>
public static class BackupEndpoints
{
    /// <summary>SQLite's registered media type.</summary>
    public const string ContentType = "application/vnd.sqlite3";

    public static IEndpointRouteBuilder MapBackup(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/backup", BackupAsync)
            .WithTags("Backup")
            .WithName("Backup")
            .WithSummary("A consistent copy of the SQLite store, taken while ingest goes on (admin). With PostgreSQL: 409, use pg_dump.")
            .Produces(StatusCodes.Status200OK, contentType: ContentType)
            .RequireAuthorization(AdminAccess.Policy);
        return endpoints;
    }

    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> BackupAsync(
        HttpResponse response, IOptions<StorageOptions> options, TemporaryBackups backups, TimeProvider time, CancellationToken cancellationToken)
    {
        // 409 rather than 501: the route is served, but not by a server in this state (its store is
        // PostgreSQL), and a 501 may be cached by proxies as if the route did not exist.
        if (options.Value.Provider == StorageProvider.Postgres)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "This server's store is PostgreSQL: back it up with pg_dump.",
                "GET /api/backup copies a SQLite store. Back up PostgreSQL with its own tools, e.g. pg_dump -Fc -d blazoriot -f blazoriot.dump (docs/operations.md).");
        }
        var name = string.Create(CultureInfo.InvariantCulture, $"blazoriot-{time.GetUtcNow():yyyyMMdd-HHmmss}.db");
        FileStream copy;
        try
        {
            copy = await backups.TakeAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException)
        {
            // Most often the temporary folder is full: say where the copy was going.
            return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "The backup could not be made.",
                $"{exception.Message.TrimEnd('.')} (the copy is written to the system's temporary folder, {Path.GetTempPath()}, before it is sent).");
        }
        // Disposed (and so deleted) when the request ends, however it ends: sent, failed, or the client gone.
        response.RegisterForDisposeAsync(copy);
        response.Headers.CacheControl = "no-store";
        return TypedResults.File(copy, ContentType, name);
    }
}
