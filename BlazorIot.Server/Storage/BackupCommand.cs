using BlazorIot.Server.Hosting;
using Microsoft.Extensions.Options;

namespace BlazorIot.Server.Storage;

/// <summary>
/// <c>BlazorIot.Server backup FILE</c>: writes a consistent copy of the SQLite store through SQLite's
/// online backup API while the server goes on taking readings, with the same settings the server
/// uses to find its file.
/// </summary>
public static class BackupCommand
{
    public const string Usage = "usage: backup FILE   (a new file: an existing one is not overwritten)";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var settings = args.Skip(1).Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)).ToArray();
        var positional = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        if (positional.Length != 1)
        {
            error.WriteLine(Usage);
            return 2;
        }
        var target = Path.GetFullPath(positional[0]);
        HostApplicationBuilder? builder = null;
        try
        {
            builder = Host.CreateApplicationBuilder(settings);
            builder.Logging.ClearProviders();
            builder.Services.AddStorage(builder.Configuration);
            SettingsCheck.ThrowIfLogLevelsInvalid(builder.Configuration);
            using var host = builder.Build();
            SettingsCheck.ThrowIfInvalid(host.Services);
            if (host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.Provider != StorageProvider.Sqlite)
            {
                error.WriteLine("The store is PostgreSQL: back it up with pg_dump (docs/operations.md).");
                return 2;
            }
            var database = host.Services.GetRequiredService<SqliteDatabase>();
            if (!File.Exists(database.Path))
            {
                error.WriteLine($"There is no database at {database.Path} (Storage:SqlitePath) to back up.");
                return 2;
            }
            if (File.Exists(target))
            {
                error.WriteLine($"{target} already exists: give a new file.");
                return 2;
            }
            await CopyAsync(database, target, cancellationToken);
            output.WriteLine($"Backed up {database.Path} to {target}.");
            return 0;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return StartupFailureReport.Write(exception, builder?.Configuration, error);
        }
    }

    // Into a temporary file first, renamed once complete: a backup cut short never looks like a good one.
    private static async Task CopyAsync(SqliteDatabase database, string target, CancellationToken cancellationToken)
    {
        var partial = target + ".partial";
        File.Delete(partial);
        try
        {
            await SqliteBackup.CopyAsync(database, partial, cancellationToken);
            File.Move(partial, target);
        }
        finally
        {
            File.Delete(partial);
            File.Delete(partial + "-journal");
        }
    }
}
